import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ENVELOPE_BYTES, pae, signEnvelope, verifyEnvelope, type DsseEnvelope, type TrustedKey } from './dsse.ts';
import { keyIdOf } from './keys.ts';

const TYPE = 'application/vnd.aigate.bundle+json;version=1';
const options = { payloadType: TYPE };

interface TestKey {
  signer: { key: KeyObject; keyid: string };
  trusted: TrustedKey;
}

function newKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyid = keyIdOf(publicKey);
  return { signer: { key: privateKey, keyid }, trusted: { key: publicKey, keyid } };
}

const alice = newKey();
const bob = newKey();
const payload = Buffer.from('{"bundle":"v1","rules":["a","b"]}');

function signed(...keys: TestKey[]): DsseEnvelope {
  return signEnvelope(TYPE, payload, keys.map((k) => k.signer));
}

/** A copy of the envelope as plain JSON data, for editing. */
function edit(envelope: DsseEnvelope): Record<string, any> {
  return JSON.parse(JSON.stringify(envelope));
}

describe('pae', () => {
  it('matches the DSSE protocol example', () => {
    expect(pae('http://example.com/HelloWorld', Buffer.from('hello world')).toString()).toBe('DSSEv1 29 http://example.com/HelloWorld 11 hello world');
  });

  it('counts bytes, not characters', () => {
    expect(pae('é', Buffer.from('€')).toString()).toBe('DSSEv1 2 é 3 €');
    expect(pae('', Buffer.alloc(0)).toString()).toBe('DSSEv1 0  0 ');
  });
});

describe('signEnvelope / verifyEnvelope', () => {
  it('round-trips as an object, as JSON text and as UTF-8 bytes', () => {
    const envelope = signed(alice);
    expect(envelope.payloadType).toBe(TYPE);
    expect(Buffer.from(envelope.payload, 'base64').equals(payload)).toBe(true);
    expect(Buffer.from(envelope.signatures[0]!.sig, 'base64')).toHaveLength(64);
    for (const input of [envelope, JSON.stringify(envelope), Buffer.from(JSON.stringify(envelope, null, 2))]) {
      const result = verifyEnvelope(input, [alice.trusted], options);
      expect(result).toEqual({ ok: true, payloadType: TYPE, payload, keyid: alice.signer.keyid });
    }
  });

  it('refuses a signature by another key under the trusted keyid', () => {
    const forged = signEnvelope(TYPE, payload, [{ key: bob.signer.key, keyid: alice.signer.keyid }]);
    expect(verifyEnvelope(forged, [alice.trusted], options)).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('refuses a signature whose keyid is not trusted', () => {
    expect(verifyEnvelope(signed(bob), [alice.trusted], options)).toMatchObject({ ok: false, code: 'signature_untrusted_key' });
  });

  it('never tries other trusted keys for a mislabelled signature (keyid is not malleable)', () => {
    const relabelled = signEnvelope(TYPE, payload, [{ key: alice.signer.key, keyid: bob.signer.keyid }]);
    expect(verifyEnvelope(relabelled, [alice.trusted, bob.trusted], options)).toMatchObject({ ok: false, code: 'signature_invalid' });
  });

  it('accepts any one valid trusted signature (key rotation)', () => {
    expect(verifyEnvelope(signed(bob, alice), [alice.trusted], options)).toMatchObject({ ok: true, keyid: alice.signer.keyid });
    expect(verifyEnvelope(signed(alice), [bob.trusted, alice.trusted], options)).toMatchObject({ ok: true, keyid: alice.signer.keyid });
    // The first signature is broken; the second, by a trusted key, still counts.
    const envelope = edit(signed(alice, bob));
    envelope['signatures'][0].sig = envelope['signatures'][1].sig;
    expect(verifyEnvelope(envelope, [alice.trusted, bob.trusted], options)).toMatchObject({ ok: true, keyid: bob.signer.keyid });
  });

  it('refuses everything when no keys are trusted', () => {
    expect(verifyEnvelope(signed(alice), [], options)).toMatchObject({ ok: false, code: 'trusted_keys_missing' });
  });

  it('refuses another payloadType, even validly signed', () => {
    const other = signEnvelope('application/vnd.aigate.bundle+json;version=2', payload, [alice.signer]);
    expect(verifyEnvelope(other, [alice.trusted], options)).toMatchObject({ ok: false, code: 'envelope_payload_type' });
  });

  it('refuses a signature of the wrong length from a trusted keyid', () => {
    const envelope = edit(signed(alice));
    const sig = Buffer.from(envelope['signatures'][0].sig, 'base64');
    for (const bad of [sig.subarray(0, 63), Buffer.concat([sig, Buffer.alloc(1)]), Buffer.alloc(0)]) {
      envelope['signatures'][0].sig = bad.toString('base64');
      expect(verifyEnvelope(envelope, [alice.trusted], options)).toMatchObject({ ok: false, code: 'signature_invalid' });
    }
  });

  it('refuses non-canonical base64 that decodes to the signed bytes', () => {
    // 0xfb 0xff encodes as "+/8=": it exercises the two alphabet-specific characters and padding.
    const bytes = Buffer.from([0xfb, 0xff]);
    const envelope = signEnvelope(TYPE, bytes, [alice.signer]);
    expect(envelope.payload).toBe('+/8=');
    expect(verifyEnvelope(envelope, [alice.trusted], options)).toMatchObject({ ok: true });
    for (const spelling of ['-_8=', '+/8', '+/9=', ' +/8=', '+/8=\n', '+/*8=', '+/8==']) {
      // Each would decode to the same bytes (so the signature would verify) if decoding were lenient.
      expect(verifyEnvelope({ ...envelope, payload: spelling }, [alice.trusted], options)).toMatchObject({ ok: false, code: 'envelope_malformed' });
    }
    const sig = envelope.signatures[0]!.sig;
    const loose = { ...envelope, signatures: [{ keyid: alice.signer.keyid, sig: sig.replace(/=$/, '') }] };
    expect(verifyEnvelope(loose, [alice.trusted], options)).toMatchObject({ ok: false, code: 'envelope_malformed' });
  });

  it.each<[string, (e: Record<string, any>) => unknown]>([
    ['an extra envelope field', (e) => ({ ...e, extra: 1 })],
    ['an extra signature field', (e) => ({ ...e, signatures: [{ ...e['signatures'][0], cert: '' }] })],
    ['a missing payload', ({ payload: _p, ...rest }) => rest],
    ['a missing keyid', (e) => ({ ...e, signatures: [{ sig: e['signatures'][0].sig }] })],
    ['a non-string payloadType', (e) => ({ ...e, payloadType: [TYPE] })],
    ['a non-string keyid', (e) => ({ ...e, signatures: [{ ...e['signatures'][0], keyid: 7 }] })],
    ['a null signature', (e) => ({ ...e, signatures: [null] })],
    ['signatures not an array', (e) => ({ ...e, signatures: e['signatures'][0] })],
    ['17 signatures', (e) => ({ ...e, signatures: Array(17).fill(e['signatures'][0]) })],
    ['an array', (e) => [e]],
    ['null', () => null],
    ['a number', () => 1],
  ])('refuses %s as envelope_malformed', (_name, change) => {
    const changed = change(edit(signed(alice)));
    expect(verifyEnvelope(changed, [alice.trusted], options)).toMatchObject({ ok: false, code: 'envelope_malformed' });
    expect(verifyEnvelope(JSON.stringify(changed), [alice.trusted], options)).toMatchObject({ ok: false, code: 'envelope_malformed' });
  });

  it('refuses an envelope without signatures', () => {
    expect(verifyEnvelope({ ...signed(alice), signatures: [] }, [alice.trusted], options)).toMatchObject({ ok: false, code: 'signature_missing' });
  });

  it('refuses text that is not one unambiguous JSON envelope', () => {
    const text = JSON.stringify(signed(alice));
    const other = signEnvelope(TYPE, Buffer.from('other'), [alice.signer]);
    const duplicated = `{"payload":${JSON.stringify(other.payload)},${text.slice(1)}`;
    for (const input of [
      duplicated,
      text.replace('"keyid"', '"sig":"AAAA","keyid"'),
      `${text}x`,
      '',
      `\ufeff${text}`,
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xc3]), Buffer.from(text.slice(20))]), // invalid UTF-8
    ]) {
      expect(verifyEnvelope(input, [alice.trusted], options)).toMatchObject({ ok: false, code: 'envelope_malformed' });
    }
  });

  it('refuses input over the size cap before parsing', () => {
    const huge = `{"payloadType":"${TYPE}","payload":"${'A'.repeat(MAX_ENVELOPE_BYTES)}","signatures":[]}`;
    expect(verifyEnvelope(huge, [alice.trusted], options)).toMatchObject({ ok: false, code: 'envelope_malformed' });
  });

  it('throws on programming errors instead of guessing', () => {
    expect(() => signEnvelope(TYPE, payload, [])).toThrow(TypeError);
    expect(() => signEnvelope(TYPE, payload, [{ key: alice.trusted.key, keyid: 'x' }])).toThrow(TypeError);
    expect(() => verifyEnvelope(signed(alice), [{ key: alice.signer.key, keyid: alice.signer.keyid }], options)).toThrow(TypeError);
    expect(() => verifyEnvelope(signed(alice), [alice.trusted], { payloadType: '' })).toThrow(TypeError);
  });
});

describe('verifyEnvelope: tamper evidence', () => {
  const trusted = [alice.trusted];
  const arbitraryEnvelope = fc.uint8Array({ maxLength: 48 }).map((bytes) => Buffer.from(JSON.stringify(signEnvelope(TYPE, Buffer.from(bytes), [alice.signer]))));

  function assertTampered(serialized: Buffer, index: number, byte: number): void {
    const tampered = Buffer.from(serialized);
    tampered[index] = byte;
    expect(verifyEnvelope(tampered, trusted, options).ok).toBe(false);
    // Also as text, the way a caller holding a string would pass it (invalid UTF-8 becomes U+FFFD).
    expect(verifyEnvelope(tampered.toString('utf8'), trusted, options).ok).toBe(false);
  }

  it('fails for any one-byte change anywhere in the serialized envelope', () => {
    fc.assert(
      fc.property(arbitraryEnvelope, fc.nat(), fc.integer({ min: 1, max: 255 }), (serialized, at, delta) => {
        expect(verifyEnvelope(serialized, trusted, options).ok).toBe(true);
        const index = at % serialized.length;
        assertTampered(serialized, index, (serialized[index]! + delta) % 256);
      }),
      { numRuns: 4000 },
    );
  });

  it('fails for every index, with look-alike replacement bytes', () => {
    const serialized = Buffer.from(JSON.stringify(signed(alice)));
    for (let index = 0; index < serialized.length; index++) {
      const original = serialized[index]!;
      const lookalikes = [original ^ 0x01, original ^ 0x20, 0x20, 0x22, 0x5c, 0x2b, 0x2f, 0x2d, 0x5f, 0x3d, 0x00, 0x80].filter((b) => b !== original);
      for (const byte of lookalikes) assertTampered(serialized, index, byte);
    }
  });
});
