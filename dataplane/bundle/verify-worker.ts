import { parentPort, workerData } from 'node:worker_threads';
import { verifyBundle } from '../../policy/verify-bundle.ts';
import type { VerifyJob, VerifyReply } from './bundle-verifier.ts';

/**
 * One bundle verification off the proxy's event loop (started by verifyOffThread): parse, signature,
 * canonical form, schema, expiry and serial floor, exactly as verifyBundle does them. The payload
 * goes back as its verified bytes, transferred rather than copied.
 */
const job = workerData as VerifyJob;
const result = verifyBundle(job.envelope, job.trusted, job.options);
if (!result.ok) {
  parentPort?.postMessage({ ok: false, code: result.code, message: result.message } satisfies VerifyReply);
} else {
  // Only a buffer that owns its whole ArrayBuffer may be transferred (a small one sits in Node's
  // shared pool, which cannot move); copying those costs nothing worth measuring.
  const own = result.bytes.byteOffset === 0 && result.bytes.byteLength === result.bytes.buffer.byteLength;
  const bytes = own ? new Uint8Array(result.bytes.buffer) : new Uint8Array(result.bytes);
  parentPort?.postMessage({ ok: true, bytes, keyid: result.keyid, digest: result.digest } satisfies VerifyReply, [bytes.buffer as ArrayBuffer]);
}
