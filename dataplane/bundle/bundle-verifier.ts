import { Worker } from 'node:worker_threads';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import type { BundleErrorCode, TrustedKey, VerifiedBundle, VerifyBundleOptions } from '../../policy/verify-bundle.ts';

/** What verify-worker.ts is started with. */
export interface VerifyJob {
  readonly envelope: string;
  readonly trusted: readonly TrustedKey[];
  readonly options: VerifyBundleOptions;
}

/** What it answers: verifyBundle's result, the payload as its verified bytes. */
export type VerifyReply =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly keyid: string; readonly digest: string }
  | { readonly ok: false; readonly code: BundleErrorCode; readonly message: string };

const WORKER = new URL('./verify-worker.ts', import.meta.url);

/**
 * verifyBundle in a worker thread: on a 10,000-project bundle it takes about a second of CPU (JSON
 * parse, base64, signature, canonical re-serialisation, schema), which on the main thread stalled
 * every request in flight. What stays here is parsing the verified bytes once more, which is
 * cheaper than receiving the worker's parsed object as a structured clone (measured: docs/decisions.md).
 * The main thread parses exactly the bytes the worker verified and hashed, so the object it enforces
 * is the one the signature covers. A worker per verification: bundles change rarely, and its heap
 * (several times the bundle's size) is returned as soon as it exits. A worker that cannot answer
 * (fails to start, crashes, runs out of memory) is a refusal like any other: fail closed.
 */
export function verifyOffThread(envelope: string, trusted: readonly TrustedKey[], options: VerifyBundleOptions): Promise<VerifiedBundle> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: VerifiedBundle) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const failed = (why: string) => settle({ ok: false, code: 'bundle_unreadable', message: `bundle could not be verified: ${why}` });
    let worker: Worker;
    try {
      worker = new Worker(WORKER, { workerData: { envelope, trusted, options } satisfies VerifyJob });
    } catch (error) {
      return failed(`cannot start the verification worker (${error instanceof Error ? error.message : String(error)})`);
    }
    worker.once('message', (reply: VerifyReply) => {
      if (!reply.ok) return settle(reply);
      const bytes = Buffer.from(reply.bytes.buffer, reply.bytes.byteOffset, reply.bytes.byteLength);
      try {
        // The same decoding and parse checkPayload applied before it compared the canonical form.
        const payload = JSON.parse(bytes.toString('utf8')) as BundlePayloadV1;
        settle({ ok: true, payload, keyid: reply.keyid, digest: reply.digest, bytes });
      } catch {
        failed('the verified payload does not parse');
      }
    });
    worker.on('error', (error) => failed(`the verification worker failed (${error.message})`));
    worker.once('exit', (code) => failed(`the verification worker exited with code ${code} before answering`));
  });
}
