import { sign, verify, type KeyObject } from 'node:crypto';

/**
 * DSSE v1 envelopes (github.com/secure-systems-lab/dsse, protocol.md) signed with Ed25519.
 * The signature covers PAE(payloadType, payload), so neither can be swapped independently.
 */

/** Why an envelope was refused. Stable snake_case codes. */
export const DSSE_ERROR_CODES = [
  'trusted_keys_missing',
  'envelope_malformed',
  'envelope_payload_type',
  'signature_missing',
  'signature_untrusted_key',
  'signature_invalid',
] as const;

export type DsseErrorCode = (typeof DSSE_ERROR_CODES)[number];

export interface DsseSignature {
  keyid: string;
  /** Standard base64 with padding. */
  sig: string;
}

export interface DsseEnvelope {
  payloadType: string;
  /** Standard base64 with padding. */
  payload: string;
  signatures: DsseSignature[];
}

export interface DsseSigner {
  /** Ed25519 private key. */
  readonly key: KeyObject;
  readonly keyid: string;
}

export interface TrustedKey {
  readonly keyid: string;
  /** Ed25519 public key. */
  readonly key: KeyObject;
}

export interface VerifyOptions {
  /** The only payloadType accepted. */
  readonly payloadType: string;
}

export type VerifyResult =
  | { ok: true; payloadType: string; payload: Buffer; keyid: string }
  | { ok: false; code: DsseErrorCode; message: string };

/** Larger inputs are refused before parsing: a multi-gigabyte "bundle" must not exhaust memory. */
export const MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;
/** More signatures than any rotation needs; bounds the verification work an attacker can cause. */
export const MAX_SIGNATURES = 16;
const ED25519_SIGNATURE_BYTES = 64;

/** Pre-Authentication Encoding: `DSSEv1 SP LEN(type) SP type SP LEN(body) SP body`. */
export function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

/** Signs `payload` with every signer. Programming errors (no signer, wrong key kind) throw. */
export function signEnvelope(payloadType: string, payload: Buffer, signers: readonly DsseSigner[]): DsseEnvelope {
  if (signers.length === 0 || signers.length > MAX_SIGNATURES) throw new TypeError(`signEnvelope: need 1 to ${MAX_SIGNATURES} signers`);
  const message = pae(payloadType, payload);
  const signatures = signers.map(({ key, keyid }) => {
    if (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519') throw new TypeError('signEnvelope: signer key must be an Ed25519 private key');
    if (typeof keyid !== 'string' || keyid === '') throw new TypeError('signEnvelope: signer keyid must be a non-empty string');
    return { keyid, sig: sign(null, message, key).toString('base64') };
  });
  return { payloadType, payload: payload.toString('base64'), signatures };
}

/**
 * Verifies an envelope given as JSON text, UTF-8 bytes, or an already parsed value. Succeeds only
 * when the payloadType is the expected one and at least one signature both names a trusted keyid
 * and verifies under that key. Every other outcome is `ok: false` (fail closed).
 */
export function verifyEnvelope(input: unknown, trusted: readonly TrustedKey[], options: VerifyOptions): VerifyResult {
  if (typeof options?.payloadType !== 'string' || options.payloadType === '') throw new TypeError('verifyEnvelope: options.payloadType is required');
  for (const { keyid, key } of trusted) {
    if (typeof keyid !== 'string' || keyid === '' || key?.type !== 'public' || key.asymmetricKeyType !== 'ed25519') {
      throw new TypeError('verifyEnvelope: trusted keys must be Ed25519 public keys with a keyid');
    }
  }
  // An empty trust list must not mean "accept anything" (OPA's bundle verification once did that).
  if (trusted.length === 0) return fail('trusted_keys_missing', 'no trusted keys are configured; refusing to accept any envelope');

  const parsed = parseEnvelope(input);
  if (!parsed.ok) return parsed;
  const { payloadType, payload, signatures } = parsed;
  // Type confusion: a validly signed document of another kind (or version) must not be read as a bundle.
  if (payloadType !== options.payloadType) {
    return fail('envelope_payload_type', `payloadType is ${quoteShort(payloadType)}, expected ${quoteShort(options.payloadType)}`);
  }

  const message = pae(payloadType, payload);
  let namedTrustedKey = false;
  for (const { keyid, sig } of signatures) {
    // Match on keyid first and never try other keys: otherwise the keyid field would be unsigned,
    // malleable metadata, and one signature could be attributed to whichever key happens to verify.
    for (const candidate of trusted) {
      if (candidate.keyid !== keyid) continue;
      namedTrustedKey = true;
      // Ed25519 signatures are exactly 64 bytes; anything else is not a signature at all.
      if (sig.length === ED25519_SIGNATURE_BYTES && verify(null, message, candidate.key, sig)) {
        return { ok: true, payloadType, payload, keyid };
      }
    }
  }
  return namedTrustedKey
    ? fail('signature_invalid', 'no signature by a trusted key verifies')
    : fail('signature_untrusted_key', `no signature is by a trusted key (signed by: ${signatures.map((s) => quoteShort(s.keyid)).join(', ')})`);
}

type ParsedEnvelope =
  | { ok: true; payloadType: string; payload: Buffer; signatures: { keyid: string; sig: Buffer }[] }
  | { ok: false; code: DsseErrorCode; message: string };

/** Strict parse: exactly the DSSE fields, strings only, canonical base64, bounded sizes. */
function parseEnvelope(input: unknown): ParsedEnvelope {
  let value = input;
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : decodeUtf8(input);
    if (text === undefined) return fail('envelope_malformed', 'envelope is not valid UTF-8');
    // Cheap length check before the exact one: UTF-8 never has fewer bytes than UTF-16 code units.
    if (text.length > MAX_ENVELOPE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_ENVELOPE_BYTES) {
      return fail('envelope_malformed', `envelope exceeds ${MAX_ENVELOPE_BYTES} bytes`);
    }
    try {
      value = JSON.parse(text);
    } catch {
      return fail('envelope_malformed', 'envelope is not valid JSON');
    }
    // Duplicate member names: JSON.parse keeps the last, other parsers the first, so two tools could
    // disagree about which payload an envelope carries. Count members in the text against the parse.
    if (isRecord(value) && Array.isArray(value['signatures']) && memberCount(text) !== 3 + 2 * value['signatures'].length) {
      return fail('envelope_malformed', 'envelope has duplicate or unexpected members');
    }
  }
  if (!isRecord(value) || !hasExactKeys(value, ['payload', 'payloadType', 'signatures'])) {
    return fail('envelope_malformed', 'envelope must be an object with exactly payloadType, payload and signatures');
  }
  const { payloadType, payload, signatures } = value;
  if (typeof payloadType !== 'string') return fail('envelope_malformed', 'payloadType must be a string');
  if (typeof payload !== 'string' || payload.length > (MAX_ENVELOPE_BYTES / 3) * 4) return fail('envelope_malformed', 'payload must be a base64 string');
  if (!Array.isArray(signatures)) return fail('envelope_malformed', 'signatures must be an array');
  if (signatures.length === 0) return fail('signature_missing', 'envelope has no signatures');
  if (signatures.length > MAX_SIGNATURES) return fail('envelope_malformed', `envelope has more than ${MAX_SIGNATURES} signatures`);
  const payloadBytes = decodeBase64(payload);
  if (payloadBytes === undefined) return fail('envelope_malformed', 'payload is not canonical standard base64');
  const decoded: { keyid: string; sig: Buffer }[] = [];
  for (const [index, signature] of signatures.entries()) {
    if (!isRecord(signature) || !hasExactKeys(signature, ['keyid', 'sig'])) {
      return fail('envelope_malformed', `signatures[${index}] must be an object with exactly keyid and sig`);
    }
    const { keyid, sig } = signature;
    if (typeof keyid !== 'string' || typeof sig !== 'string') return fail('envelope_malformed', `signatures[${index}]: keyid and sig must be strings`);
    const sigBytes = decodeBase64(sig);
    if (sigBytes === undefined) return fail('envelope_malformed', `signatures[${index}].sig is not canonical standard base64`);
    decoded.push({ keyid, sig: sigBytes });
  }
  return { ok: true, payloadType, payload: payloadBytes, signatures: decoded };
}

/**
 * Base64 with exactly one spelling per byte string. Buffer.from(s, 'base64') skips invalid
 * characters, accepts the URL-safe alphabet, missing padding and non-zero trailing bits; accepting
 * those would make signed envelopes malleable (many texts, one meaning) and let junk ride along.
 */
function decodeBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : undefined;
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    // fatal: invalid UTF-8 is refused, not replaced with U+FFFD; ignoreBOM keeps a BOM so JSON.parse refuses it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Number of `name: value` members in valid JSON text (colons outside strings). */
function memberCount(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a) count++;
    else if (code === 0x22) i = stringEnd(text, i);
  }
  return count;
}

/** Index of the quote closing the string that opens at `start` (text is valid JSON). */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Unknown members are refused: nothing unsigned may ride along in an envelope we accept. */
function hasExactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}

/** Attacker-chosen text in a message: quoted (no control characters reach a log) and bounded. */
function quoteShort(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function fail(code: DsseErrorCode, message: string): { ok: false; code: DsseErrorCode; message: string } {
  return { ok: false, code, message };
}
