import { activateBundle, type ActiveBundle } from '../../policy/active-bundle.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { checkPayload, type TrustedKey } from '../../policy/verify-bundle.ts';
import { verifyOffThread } from './bundle-verifier.ts';
import type { SerialState } from './serial-state.ts';

export interface BundleStatus {
  readonly active: boolean;
  readonly serial: number | null;
  readonly digest: string | null;
  readonly trust: 'signed' | 'local' | null;
  readonly signer: string | null;
  readonly source: string | null;
  readonly issuedAt: string | null;
  readonly expiresAt: string | null;
  readonly loadedAt: number | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: number } | null;
  /** A signed bundle being verified off the main thread right now (its source), else null. */
  readonly verifying: string | null;
}

export interface BundleStore {
  /** The bundle every decision uses; undefined means deny everything. */
  current(): ActiveBundle | undefined;
  status(): BundleStatus;
  /** Verifies and, if it is newer, activates a signed envelope. Returns whether it is now active. */
  offerSigned(envelope: string, source: string): Promise<boolean>;
  /** Activates a payload compiled in-process (single-machine mode, no signature). */
  offerLocal(payload: BundlePayloadV1, source: string): Promise<boolean>;
  /** A source could not even fetch a bundle. */
  reportError(code: string, message: string): void;
}

/**
 * Holds the active bundle. A new one is verified, checked against the persisted high-water mark and
 * compiled before a single reference swap; any failure keeps the last good bundle and is reported
 * on /health (OPA's habit: a failed hot-load changes nothing). Verification runs in a worker thread
 * (bundle-verifier.ts), so requests keep being answered while a large bundle is checked; offers are
 * taken one at a time, so each is judged against the high-water mark its predecessor left.
 */
export function createBundleStore(options: { trustedKeys: readonly TrustedKey[]; serials: SerialState | undefined; now?: () => number }): BundleStore {
  const now = options.now ?? Date.now;
  let active: ActiveBundle | undefined;
  let meta: Omit<BundleStatus, 'active' | 'lastError' | 'verifying'> = { serial: null, digest: null, trust: null, signer: null, source: null, issuedAt: null, expiresAt: null, loadedAt: null };
  let lastError: BundleStatus['lastError'] = null;
  let verifying: string | null = null;
  // The rollback floor: the persisted high-water mark, raised in memory the moment a bundle is
  // accepted (the write to disk follows; a bundle arriving meanwhile must not slip under it).
  let highWater = options.serials?.read();
  // The offer being judged; the next one waits for it (a verification now spans awaits).
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const fail = (code: string, message: string) => {
    lastError = { code, message, at: now() };
    return false;
  };

  /** Compiles the payload for enforcement; undefined (with lastError set) if it cannot run. */
  const prepare = (payload: BundlePayloadV1, trust: 'signed' | 'local'): ActiveBundle | undefined => {
    try {
      return activateBundle(payload, { lookup: trust === 'local' ? 'path' : 'id' });
    } catch (error) {
      fail('bundle_invalid', `bundle serial ${payload.serial} cannot be enforced: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };

  /** The single reference swap every decision sees. */
  const commit = (next: ActiveBundle, payload: BundlePayloadV1, digest: string, trust: 'signed' | 'local', signer: string | null, source: string) => {
    active = next;
    meta = { serial: payload.serial, digest, trust, signer, source, issuedAt: payload.issued_at, expiresAt: payload.expires_at, loadedAt: now() };
    lastError = null;
    return true;
  };

  return {
    current: () => active,
    status: () => ({ active: active !== undefined, ...meta, lastError, verifying }),
    offerSigned: (envelope, source) => serially(async () => {
      const accepted = highWater;
      // Re-reading the bundle already enforced (a restart, a file touch) is not a rollback.
      verifying = source;
      const result = await verifyOffThread(envelope, options.trustedKeys, { now: now(), ...(accepted ? { minSerialExclusive: accepted.serial - 1 } : {}) }).finally(() => {
        verifying = null;
      });
      if (!result.ok) return fail(result.code, result.message);
      if (accepted && result.payload.serial === accepted.serial && result.digest !== accepted.digest) {
        return fail('bundle_rollback', `bundle serial ${accepted.serial} was already accepted with different content`);
      }
      if (active && meta.digest === result.digest) return true;
      const next = prepare(result.payload, 'signed');
      if (!next) return false;
      if (!accepted || result.payload.serial > accepted.serial) {
        // Write-ahead: the new floor is on disk before the bundle is enforced, so a crash right
        // after activation cannot let a restart accept an older bundle.
        highWater = { serial: result.payload.serial, digest: result.digest };
        try {
          await options.serials?.write(highWater);
        } catch (error) {
          return fail('state_unwritable', `cannot persist the accepted serial, bundle not activated: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return commit(next, result.payload, result.digest, 'signed', result.keyid, source);
    }),
    offerLocal: (payload, source) => serially(async () => {
      const checked = checkPayload(canonicalBytes(payload), { now: now() });
      if (!checked.ok) return fail(checked.code, checked.message);
      if (active && meta.digest === checked.digest) return true;
      const next = prepare(checked.payload, 'local');
      return next ? commit(next, checked.payload, checked.digest, 'local', null, source) : false;
    }),
    reportError: (code, message) => void fail(code, message),
  };
}
