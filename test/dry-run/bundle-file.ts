import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_PAYLOAD_TYPE, type BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { generateSigningKeyPair, parsePrivateKey } from '../../policy/keys.ts';

/** A bundle envelope without signatures (what `compile --unsigned` writes). */
export function writeUnsignedBundle(dir: string, payload: BundlePayloadV1): string {
  const file = join(dir, 'bundle.json');
  writeFileSync(file, `${JSON.stringify({ payloadType: BUNDLE_PAYLOAD_TYPE, payload: canonicalBytes(payload).toString('base64'), signatures: [] })}\n`);
  return file;
}

/** A signed bundle and the public key that verifies it. */
export function writeSignedBundle(dir: string, payload: BundlePayloadV1): { bundle: string; publicKey: string } {
  const pair = generateSigningKeyPair();
  const parsed = parsePrivateKey(pair.privateKeyPem);
  if (!parsed.ok) throw new Error(parsed.message);
  const bundle = join(dir, 'signed-bundle.json');
  const publicKey = join(dir, 'bundle.pub');
  writeFileSync(bundle, `${JSON.stringify(signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(payload), [{ key: parsed.key, keyid: parsed.keyid }]))}\n`);
  writeFileSync(publicKey, pair.publicKeyPem);
  return { bundle, publicKey };
}
