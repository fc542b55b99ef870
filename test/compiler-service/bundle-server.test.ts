import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bundleRoutes } from '../../compiler/publish/bundle-routes.ts';
import { etagOf, openPublisher, type BundlePublisher } from '../../compiler/publish/bundle-publisher.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const bundle = (serial: number) => `${JSON.stringify({ payloadType: 'x', payload: Buffer.from(JSON.stringify({ serial })).toString('base64'), signatures: [] })}\n`;

async function serve(readerTokens: string[] = []): Promise<{ url: string; publisher: BundlePublisher; dir: string }> {
  const dir = tempDir();
  const publisher = await openPublisher(dir, { keep: 2 });
  const app = express();
  app.use(bundleRoutes(publisher, readerTokens));
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => {
    publisher.close();
    server.close(() => r());
    server.closeAllConnections();
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, publisher, dir };
}

describe('bundle server', () => {
  it('serves the current bundle with a strong ETag and answers 304 to If-None-Match', async () => {
    const { url, publisher } = await serve();
    expect((await fetch(`${url}/bundles/current`)).status).toBe(503);
    await publisher.publish(bundle(5), 5);
    const res = await fetch(`${url}/bundles/current`);
    const etag = res.headers.get('etag');
    expect(res.status).toBe(200);
    expect(etag).toBe(etagOf(bundle(5)));
    expect(etag).not.toMatch(/^W\//);
    expect(res.headers.get('x-aigate-serial')).toBe('5');
    expect(res.headers.get('x-aigate-long-poll')).toBe('55');
    expect(await res.text()).toBe(bundle(5));
    const again = await fetch(`${url}/bundles/current`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
  });

  it('holds a long poll until a newer bundle is published, else answers 304 after the wait', async () => {
    const { url, publisher } = await serve();
    const first = await publisher.publish(bundle(1), 1);
    const started = performance.now();
    const pending = fetch(`${url}/bundles/current?wait=30`, { headers: { 'if-none-match': first.etag } });
    await new Promise((r) => setTimeout(r, 200));
    await publisher.publish(bundle(2), 2);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aigate-serial')).toBe('2');
    expect(performance.now() - started).toBeLessThan(5000);
    const idle = await fetch(`${url}/bundles/current?wait=1`, { headers: { 'if-none-match': etagOf(bundle(2)) } });
    expect(idle.status).toBe(304);
  });

  it('keeps the last versions only, and requires a reader token when configured', async () => {
    const { url, publisher } = await serve(['reader-secret']);
    for (const s of [1, 2, 3]) await publisher.publish(bundle(s), s);
    const auth = { authorization: 'Bearer reader-secret' };
    expect((await fetch(`${url}/bundles/current`)).status).toBe(401);
    expect((await fetch(`${url}/bundles/current`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${url}/bundles/current`, { headers: auth })).status).toBe(200);
    expect(await (await fetch(`${url}/bundles/3`, { headers: auth })).text()).toBe(bundle(3));
    expect((await fetch(`${url}/bundles/1`, { headers: auth })).status).toBe(404);
    expect((await fetch(`${url}/bundles/..%2Fcurrent`, { headers: auth })).status).toBe(404);
  });

  it('reopens with the bundle it published before a restart', async () => {
    const { publisher, dir } = await serve();
    await publisher.publish(bundle(9), 9);
    const reopened = await openPublisher(dir);
    expect(reopened.current()).toMatchObject({ serial: 9, etag: etagOf(bundle(9)) });
  });
});
