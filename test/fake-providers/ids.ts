import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random id in the providers' style, e.g. `fakeId('msg_')` → `msg_01Hk…` (24 base62 chars). */
export function fakeId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const byte of bytes) out += ALPHABET[byte % ALPHABET.length];
  return out;
}

/** Unix seconds, as `created` / `created_at` fields carry them. */
export function unixSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
