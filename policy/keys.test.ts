import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair, keyIdOf, parsePrivateKey, parsePublicKey } from './keys.ts';

// RFC 8032 §7.1 test 1 key pair; the keyid below was computed independently (Python hashlib over the SPKI DER).
const RFC8032_PUBLIC_PEM = '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n';
const RFC8032_PRIVATE_PEM = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n';
const RFC8032_KEYID = 'ed25519:06e3fd8fda29bb60ab59557de61edb0a';

function parsedKey(result: ReturnType<typeof parsePublicKey>) {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  return result;
}

describe('keyIdOf', () => {
  it('is SHA-256 over the SPKI DER, truncated to 32 hex characters', () => {
    expect(parsedKey(parsePublicKey(RFC8032_PUBLIC_PEM)).keyid).toBe(RFC8032_KEYID);
    expect(keyIdOf(createPublicKey(RFC8032_PUBLIC_PEM))).toBe(RFC8032_KEYID);
  });

  it('gives a private key the keyid of its public half', () => {
    expect(parsedKey(parsePrivateKey(RFC8032_PRIVATE_PEM)).keyid).toBe(RFC8032_KEYID);
    expect(keyIdOf(createPrivateKey(RFC8032_PRIVATE_PEM))).toBe(RFC8032_KEYID);
  });

  it('differs between keys and has the documented shape', () => {
    const a = generateSigningKeyPair();
    const b = generateSigningKeyPair();
    expect(a.keyid).toMatch(/^ed25519:[0-9a-f]{32}$/);
    expect(a.keyid).not.toBe(b.keyid);
  });

  it('throws for a non-Ed25519 key (programming error)', () => {
    expect(() => keyIdOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey)).toThrow(TypeError);
  });
});

describe('generateSigningKeyPair and parsing', () => {
  it('round-trips through PEM and the halves belong together', () => {
    const pair = generateSigningKeyPair();
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(pair.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const priv = parsedKey(parsePrivateKey(pair.privateKeyPem));
    const pub = parsedKey(parsePublicKey(pair.publicKeyPem));
    expect(priv.key.type).toBe('private');
    expect(pub.key.type).toBe('public');
    expect(priv.keyid).toBe(pair.keyid);
    expect(pub.keyid).toBe(pair.keyid);
    const data = Buffer.from('bundle');
    expect(verify(null, data, pub.key, sign(null, data, priv.key))).toBe(true);
    // Exported again, the PEM is byte-identical: nothing is lost in parsing.
    expect(pub.key.export({ type: 'spki', format: 'pem' })).toBe(pair.publicKeyPem);
  });

  it('accepts CRLF line endings and surrounding whitespace', () => {
    expect(parsedKey(parsePublicKey(`\n  ${RFC8032_PUBLIC_PEM.replaceAll('\n', '\r\n')}  \n`)).keyid).toBe(RFC8032_KEYID);
  });

  it('refuses a private key where a public key is expected', () => {
    const result = parsePublicKey(RFC8032_PRIVATE_PEM);
    expect(result).toMatchObject({ ok: false, code: 'key_invalid' });
    expect(!result.ok && result.message).toMatch(/private key/);
  });

  it('refuses a public key where a private key is expected', () => {
    expect(parsePrivateKey(RFC8032_PUBLIC_PEM)).toMatchObject({ ok: false, code: 'key_invalid' });
  });

  it.each([
    ['RSA SPKI', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' })],
    ['RSA PKCS#1', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'pem' })],
    ['EC P-256', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' })],
    ['Ed448', () => generateKeyPairSync('ed448').publicKey.export({ type: 'spki', format: 'pem' })],
    ['X25519', () => generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' })],
  ])('refuses a %s public key as not Ed25519', (_name, pem) => {
    expect(parsePublicKey(pem().toString())).toMatchObject({ ok: false, code: 'key_not_ed25519' });
  });

  it.each([
    ['RSA PKCS#8', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' })],
    ['RSA PKCS#1', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' })],
    ['EC SEC1', () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' })],
    ['Ed448', () => generateKeyPairSync('ed448').privateKey.export({ type: 'pkcs8', format: 'pem' })],
  ])('refuses a %s private key as not Ed25519', (_name, pem) => {
    expect(parsePrivateKey(pem().toString())).toMatchObject({ ok: false, code: 'key_not_ed25519' });
  });

  it('refuses an encrypted private key (no passphrase support)', () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' });
    expect(parsePrivateKey(pem.toString())).toMatchObject({ ok: false, code: 'key_invalid' });
  });

  const truncated = RFC8032_PUBLIC_PEM.replace('11qYAYKx', '');
  it.each([
    ['empty', ''],
    ['garbage', 'not a key'],
    ['base64 without armor', 'MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo='],
    ['a truncated body', truncated],
    ['mismatched armor', RFC8032_PUBLIC_PEM.replace('END PUBLIC', 'END PRIVATE')],
    ['text before the block', `hello\n${RFC8032_PUBLIC_PEM}`],
    ['two blocks', RFC8032_PUBLIC_PEM + RFC8032_PUBLIC_PEM],
    ['a certificate label', RFC8032_PUBLIC_PEM.replaceAll('PUBLIC KEY', 'CERTIFICATE')],
    ['a huge input', `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(100_000)}\n-----END PUBLIC KEY-----`],
    ['a non-string', 42 as unknown as string],
  ])('refuses %s as key_invalid', (_name, pem) => {
    expect(parsePublicKey(pem)).toMatchObject({ ok: false, code: 'key_invalid' });
    expect(parsePrivateKey(pem)).toMatchObject({ ok: false, code: 'key_invalid' });
  });
});
