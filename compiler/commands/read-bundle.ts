import { readFile } from 'node:fs/promises';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { checkPayload, verifyBundle, type TrustedKey, type VerifyBundleOptions } from '../../policy/verify-bundle.ts';

export interface ReadBundle {
  readonly payload: BundlePayloadV1;
  /** The key that verified it, or undefined when no trusted key was given (not verified). */
  readonly keyid: string | undefined;
}

/**
 * Reads a bundle file. With trusted keys it must verify completely; without, tools that only show
 * a bundle (inspect, dry-run) read its payload and say it was not verified.
 */
export async function readBundleFile(command: string, file: string, trusted: readonly TrustedKey[], options: VerifyBundleOptions = {}): Promise<ReadBundle> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`aigate ${command}: cannot read the bundle "${file}"`);
  });
  return parseBundleText(command, file, text, trusted, options);
}

/** A bundle envelope already read (from a file, or downloaded: `file` is what errors call it), checked as readBundleFile does. */
export function parseBundleText(command: string, file: string, text: string, trusted: readonly TrustedKey[], options: VerifyBundleOptions = {}): ReadBundle {
  if (trusted.length > 0) {
    const verified = verifyBundle(text, trusted, options);
    if (!verified.ok) throw new ExitError(EXIT.failed, `aigate ${command}: ${file} is not a valid bundle (${verified.code}): ${verified.message}`);
    return { payload: verified.payload, keyid: verified.keyid };
  }
  let payloadBytes: Buffer;
  try {
    const envelope = JSON.parse(text) as { payload?: unknown };
    if (typeof envelope.payload !== 'string') throw new Error('no payload');
    payloadBytes = Buffer.from(envelope.payload, 'base64');
  } catch {
    throw new ExitError(EXIT.failed, `aigate ${command}: ${file} is not a bundle envelope`);
  }
  const checked = checkPayload(payloadBytes, { allowExpired: options.allowExpired ?? true });
  if (!checked.ok) throw new ExitError(EXIT.failed, `aigate ${command}: ${file} is not a valid bundle (${checked.code}): ${checked.message}`);
  return { payload: checked.payload, keyid: undefined };
}
