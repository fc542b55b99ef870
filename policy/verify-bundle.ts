import { createHash } from 'node:crypto';
import { validateBundlePayload } from '../schemas/generated/bundle-payload.validate.js';
import { BUNDLE_PAYLOAD_TYPE, type BundlePayloadV1 } from './bundle-types.ts';
import { canonicalize } from './canonical-json.ts';
import { verifyEnvelope, type TrustedKey } from './dsse.ts';

export type { TrustedKey };

export const BUNDLE_ERROR_CODES = [
  'bundle_unreadable',
  'bundle_signature',
  'bundle_not_canonical',
  'bundle_schema',
  'bundle_expired',
  'bundle_rollback',
] as const;

export type BundleErrorCode = (typeof BUNDLE_ERROR_CODES)[number];

export type VerifiedBundle =
  | {
      readonly ok: true;
      readonly payload: BundlePayloadV1;
      readonly keyid: string;
      readonly digest: string;
      /** The verified payload bytes (what the digest covers), for a caller that re-parses them elsewhere. */
      readonly bytes: Buffer;
    }
  | { readonly ok: false; readonly code: BundleErrorCode; readonly message: string };

export interface VerifyBundleOptions {
  readonly now?: number;
  /** Refuse serials at or below this (the highest serial already accepted). */
  readonly minSerialExclusive?: number;
  /** Inspection tools show an expired bundle instead of refusing it. */
  readonly allowExpired?: boolean;
}

/**
 * Everything a bundle must pass before a proxy may enforce it, in order: a DSSE signature by a
 * trusted key over exactly the bundle payload type; a payload that is RFC 8785 canonical (one byte
 * string per policy, so digests and audit references are unambiguous); the payload schema; not
 * expired; and a serial above the last accepted one (a replayed older bundle is a rollback attack).
 */
export function verifyBundle(envelopeText: string, trusted: readonly TrustedKey[], options: VerifyBundleOptions = {}): VerifiedBundle {
  const envelope = verifyEnvelope(envelopeText, trusted, { payloadType: BUNDLE_PAYLOAD_TYPE });
  if (!envelope.ok) return { ok: false, code: 'bundle_signature', message: `${envelope.code}: ${envelope.message}` };
  const checked = checkPayload(envelope.payload, options);
  return checked.ok ? { ...checked, keyid: envelope.keyid } : checked;
}

/**
 * The payload checks without a signature, for the single-machine mode that compiles in-process
 * (local trust) and for tools that inspect a bundle they already trust.
 */
export function checkPayload(bytes: Buffer, options: VerifyBundleOptions = {}): VerifiedBundle {
  let value: unknown;
  const text = bytes.toString('utf8');
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'bundle_unreadable', message: 'bundle payload is not JSON' };
  }
  let canonical: string;
  try {
    canonical = canonicalize(value);
  } catch {
    return { ok: false, code: 'bundle_not_canonical', message: 'bundle payload cannot be canonicalised' };
  }
  if (canonical !== text) return { ok: false, code: 'bundle_not_canonical', message: 'bundle payload is not RFC 8785 canonical JSON' };
  if (!validateBundlePayload(value)) {
    const first = validateBundlePayload.errors?.[0];
    return { ok: false, code: 'bundle_schema', message: `bundle payload does not match its schema: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim() };
  }
  const payload = value as BundlePayloadV1;
  const now = options.now ?? Date.now();
  if (!options.allowExpired && Date.parse(payload.expires_at) <= now) return { ok: false, code: 'bundle_expired', message: `bundle serial ${payload.serial} expired at ${payload.expires_at}` };
  if (options.minSerialExclusive !== undefined && payload.serial <= options.minSerialExclusive) {
    return { ok: false, code: 'bundle_rollback', message: `bundle serial ${payload.serial} is not above the last accepted serial ${options.minSerialExclusive}` };
  }
  return { ok: true, payload, keyid: '', digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, bytes };
}
