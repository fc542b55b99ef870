import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createCacheFlushHandler, type Flushable } from './cache-flush-handler.ts';
import { createMemorySharedCache } from './memory-shared-cache.ts';

const TOKEN = 'admin-token-0123456789abcdef';

async function serve(caches: Record<string, Flushable>): Promise<string> {
  const handler = createCacheFlushHandler({ caches, adminToken: TOKEN });
  const server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/cache/flush`;
}

describe('POST /admin/cache/flush', () => {
  it('flushes every cache given, or only a prefix, with the admin token', async () => {
    const tokens = createMemorySharedCache();
    const projects = createMemorySharedCache();
    await tokens.set('t1', 1, 60_000);
    await projects.set('p:1', 1, 60_000);
    await projects.set('p:2', 1, 60_000);
    await projects.set('q:1', 1, 60_000);
    const url = await serve({ tokens, projects });
    const auth = { authorization: `Bearer ${TOKEN}` };
    const partial = await fetch(url, { method: 'POST', headers: auth, body: JSON.stringify({ prefix: 'p:' }) });
    expect(partial.status).toBe(200);
    expect(await partial.json()).toEqual({ flushed: { tokens: 0, projects: 2 } });
    const all = await fetch(url, { method: 'POST', headers: auth });
    expect(await all.json()).toEqual({ flushed: { tokens: 1, projects: 1 } });
    expect(all.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a missing or wrong token, other methods and bad bodies, flushing nothing', async () => {
    const cache = createMemorySharedCache();
    await cache.set('k', 1, 60_000);
    const url = await serve({ cache });
    const cases: Array<[RequestInit, number, string]> = [
      [{ method: 'POST' }, 401, 'auth_missing'],
      [{ method: 'POST', headers: { authorization: `Bearer ${TOKEN}x` } }, 401, 'auth_invalid'],
      [{ method: 'POST', headers: { authorization: `Bearer ${TOKEN.slice(0, -1)}` } }, 401, 'auth_invalid'],
      [{ method: 'POST', headers: { authorization: TOKEN } }, 401, 'auth_missing'],
      [{ method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } }, 405, 'method_not_allowed'],
      [{ method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"prefix":' }, 400, 'request_invalid'],
      [{ method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"prefix":7}' }, 400, 'request_invalid'],
      [{ method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"all":true}' }, 400, 'request_invalid'],
      [{ method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: 'x'.repeat(5000) }, 400, 'request_invalid'],
    ];
    for (const [init, status, code] of cases) {
      const res = await fetch(url, init);
      expect(res.status, JSON.stringify(init)).toBe(status);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      expect(body.error.message).not.toContain(TOKEN);
    }
    expect(await cache.get('k')).toBe(1);
  });

  it('answers 503 cache_unavailable when a store cannot flush', async () => {
    const url = await serve({ redis: { flush: () => Promise.reject(new Error('Connection is closed.')) } });
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('cache_unavailable');
  });

  it('refuses to start with a short admin token', () => {
    expect(() => createCacheFlushHandler({ caches: {}, adminToken: 'short' })).toThrow(/at least 24/);
  });
});
