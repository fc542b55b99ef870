import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { UsageError } from '../../cli/exit-error.ts';
import { parsePrivateKey, parsePublicKey } from '../../policy/keys.ts';
import type { TrustedKey } from '../../policy/verify-bundle.ts';

/** Reads `--trusted-key` files (public keys, PEM); any unreadable or non-Ed25519 key is a usage error. */
export async function readTrustedKeys(command: string, files: readonly string[]): Promise<TrustedKey[]> {
  const keys: TrustedKey[] = [];
  for (const file of files) {
    const pem = await readFile(file, 'utf8').catch(() => {
      throw new UsageError(`aigate ${command}: cannot read the trusted key "${file}"`);
    });
    const parsed = parsePublicKey(pem);
    if (!parsed.ok) throw new UsageError(`aigate ${command}: "${file}" is not a usable public key: ${parsed.message}`);
    keys.push({ keyid: parsed.keyid, key: parsed.key });
  }
  return keys;
}

/**
 * Signing keys from `--key FILE` options, else from the environment variable (CI keeps the key in a
 * masked variable). The key text is never printed, not even in an error.
 */
export async function readSigningKeys(command: string, files: readonly string[], envName: string, env: Readonly<Record<string, string | undefined>>): Promise<{ key: KeyObject; keyid: string }[]> {
  const sources: { name: string; pem: string }[] = [];
  for (const file of files) {
    sources.push({
      name: `"${file}"`,
      pem: await readFile(file, 'utf8').catch(() => {
        throw new UsageError(`aigate ${command}: cannot read the signing key "${file}"`);
      }),
    });
  }
  const fromEnv = env[envName];
  if (sources.length === 0 && fromEnv) sources.push({ name: `$${envName}`, pem: fromEnv });
  return sources.map(({ name, pem }) => {
    const parsed = parsePrivateKey(pem);
    if (!parsed.ok) throw new UsageError(`aigate ${command}: the signing key in ${name} is not usable (${parsed.code})`);
    return { key: parsed.key, keyid: parsed.keyid };
  });
}
