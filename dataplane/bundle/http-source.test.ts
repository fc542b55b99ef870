import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BUNDLE_PAYLOAD_TYPE } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { generateSigningKeyPair, parsePrivateKey, parsePublicKey } from '../../policy/keys.ts';
import { compileFixture, ORG_YAML } from '../../test/helpers/policy-fixtures.ts';
import { createBundleStore } from './bundle-store.ts';
import { httpBundleSource } from './http-source.ts';

const pair = generateSigningKeyPair();
const priv = parsePrivateKey(pair.privateKeyPem);
const pub = parsePublicKey(pair.publicKeyPem);
if (!priv.ok || !pub.ok) throw new Error('key');
const bundle = (serial: number) => JSON.stringify(signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(compileFixture(ORG_YAML, [], { serial })), [{ key: priv.key, keyid: priv.keyid }]));

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/bundles/current`;
}

const store = () => createBundleStore({ trustedKeys: [{ keyid: pub.keyid, key: pub.key }], serials: undefined });

describe('HTTP bundle source', () => {
  it('long-polls when the server advertises it and activates a new bundle as soon as it is answered', async () => {
    const waits: string[] = [];
    let current = bundle(1);
    let release: (() => void) | undefined;
    const url = await serve((req, res) => {
      const wait = new URL(req.url ?? '/', 'http://x').searchParams.get('wait');
      waits.push(wait ?? '');
      const etag = `"${current.length}-${current.slice(-12)}"`;
      res.setHeader('X-Aigate-Long-Poll', '55');
      if (req.headers['if-none-match'] === etag && wait) {
        release = () => res.writeHead(200, { ETag: '"two"' }).end((current = bundle(2)));
        return;
      }
      res.writeHead(200, { ETag: etag }).end(current);
    });
    const s = store();
    const source = httpBundleSource(url, s, { pollMs: 60_000 });
    await source.start();
    onTestFinished(() => source.stop());
    expect(s.status().serial).toBe(1);
    for (let i = 0; i < 100 && !release; i++) await new Promise((r) => setTimeout(r, 10));
    expect(waits).toEqual(['', '30']);
    release?.();
    for (let i = 0; i < 100 && s.status().serial !== 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(s.status().serial).toBe(2);
  });

  it('does not spin when a server that advertises long polling answers 304 at once', async () => {
    let requests = 0;
    const text = bundle(1);
    const url = await serve((req, res) => {
      requests++;
      res.setHeader('X-Aigate-Long-Poll', '55');
      if (req.headers['if-none-match'] === '"one"') return void res.writeHead(304, { ETag: '"one"' }).end();
      res.writeHead(200, { ETag: '"one"' }).end(text);
    });
    const source = httpBundleSource(url, store(), { pollMs: 60_000 });
    await source.start();
    onTestFinished(() => source.stop());
    await new Promise((r) => setTimeout(r, 1500));
    // One fetch, then long polls spaced at least a second apart.
    expect(requests).toBeLessThanOrEqual(3);
  });

  it('falls back to the poll interval without the header, and after a bundle it refused', async () => {
    let requests = 0;
    const url = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { ETag: '"bad"' }).end('{"not":"a bundle"}');
    });
    const s = store();
    const source = httpBundleSource(url, s, { pollMs: 60_000 });
    await source.start();
    onTestFinished(() => source.stop());
    await new Promise((r) => setTimeout(r, 300));
    expect(requests).toBe(1);
    expect(s.status().lastError).not.toBeNull();
  });
});
