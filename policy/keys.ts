import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Why a key was refused. Stable snake_case codes. */
export const KEY_ERROR_CODES = ['key_invalid', 'key_not_ed25519'] as const;

export type KeyErrorCode = (typeof KEY_ERROR_CODES)[number];

export type ParsedKey = { ok: true; key: KeyObject; keyid: string } | { ok: false; code: KeyErrorCode; message: string };

export interface SigningKeyPair {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** SPKI PEM. */
  publicKeyPem: string;
  keyid: string;
}

/** A key file is a few hundred bytes; refuse to hand OpenSSL anything absurd. */
const MAX_PEM_CHARS = 64 * 1024;

/**
 * Exactly one PEM block and nothing else. OpenSSL skips text before `-----BEGIN` and reads only the
 * first of several blocks, so without this a file with a second (unused) key, or a key wrapped in
 * arbitrary text, would load without complaint.
 */
const PEM_BLOCK = /^-----BEGIN ([A-Z0-9 ]+)-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1-----$/;

/** A new Ed25519 key pair for signing bundles. */
export function generateSigningKeyPair(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyid: keyIdOf(publicKey),
  };
}

/**
 * `ed25519:` + the first 128 bits of SHA-256 over the SPKI DER: derived from the public key alone,
 * so signer and verifier agree on it without a registry. A private key yields its public half's id.
 */
export function keyIdOf(key: KeyObject): string {
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError('keyIdOf: not an Ed25519 key');
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return `ed25519:${createHash('sha256').update(der).digest('hex').slice(0, 32)}`;
}

/** An Ed25519 private key from PKCS#8 PEM (unencrypted), for signing. */
export function parsePrivateKey(pem: string): ParsedKey {
  const label = pemLabel(pem);
  if (label === undefined) return invalid('not a PEM-encoded key (expected one "-----BEGIN PRIVATE KEY-----" block)');
  if (!label.endsWith('PRIVATE KEY')) return invalid(`expected a private key, got a PEM "${label}" block`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem.trim(), format: 'pem' });
  } catch (error) {
    return invalid(`cannot read the private key${label.startsWith('ENCRYPTED') ? ' (encrypted keys are not supported)' : ''}: ${(error as Error).message}`);
  }
  return checked(key);
}

/** An Ed25519 public key from SPKI PEM, for verifying. */
export function parsePublicKey(pem: string): ParsedKey {
  const label = pemLabel(pem);
  if (label === undefined) return invalid('not a PEM-encoded key (expected one "-----BEGIN PUBLIC KEY-----" block)');
  // Node would happily derive a public key from a private key PEM; refuse, so a signing key never
  // ends up deployed (and readable) where only verification is needed.
  if (label.endsWith('PRIVATE KEY')) return invalid('this is a private key; give the public key (SPKI "PUBLIC KEY" PEM) instead');
  // Certificates also parse as public keys; we trust keys, not certificates (nothing checks their validity).
  if (label !== 'PUBLIC KEY' && label !== 'RSA PUBLIC KEY') return invalid(`expected a public key, got a PEM "${label}" block`);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem.trim(), format: 'pem' });
  } catch (error) {
    return invalid(`cannot read the public key: ${(error as Error).message}`);
  }
  return checked(key);
}

function pemLabel(pem: string): string | undefined {
  if (typeof pem !== 'string' || pem.length > MAX_PEM_CHARS) return undefined;
  return PEM_BLOCK.exec(pem.trim())?.[1];
}

/** Only Ed25519: one algorithm, no parameters to confuse (no RSA padding or EC curve choices). */
function checked(key: KeyObject): ParsedKey {
  if (key.asymmetricKeyType !== 'ed25519') {
    return { ok: false, code: 'key_not_ed25519', message: `expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'an unknown key type'}` };
  }
  return { ok: true, key, keyid: keyIdOf(key) };
}

function invalid(message: string): ParsedKey {
  return { ok: false, code: 'key_invalid', message };
}
