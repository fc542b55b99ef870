import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { cacheCommand } from '../../dataplane/commands/cache.ts';
import { createRedisRateLimitStore } from '../../dataplane/limits/redis-store.ts';
import { createRedisSharedCache } from '../../dataplane/shared-cache/redis-shared-cache.ts';
import { closedPort, startTcpProxy } from '../audit-db/tcp-proxy.ts';
import { keysUnder, REDIS_PORT, REDIS_URL, testPrefix } from './redis-helpers.ts';

async function cache(keyPrefix: string, url = REDIS_URL) {
  const c = createRedisSharedCache({ url, keyPrefix });
  onTestFinished(() => c.close());
  expect(await c.waitReady(5000)).toBe(true);
  return c;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = bufferIo({ env });
  const code = await runCli(args, io, { cache: { summary: 'cache', load: async () => cacheCommand } });
  return { code, out: io.out(), err: io.err() };
}

describe('Redis shared cache', () => {
  it('shares entries between replicas, as JSON, until their ttl runs out', async () => {
    const prefix = testPrefix('cache');
    const [a, b] = [await cache(prefix), await cache(prefix)];
    await a.set('token:9f86d081', { id: 7, username: 'alice', email: null }, 300);
    expect(await b.get('token:9f86d081')).toEqual({ id: 7, username: 'alice', email: null });
    expect(await keysUnder(prefix)).toEqual([`${prefix}token:9f86d081`]);
    await new Promise((r) => setTimeout(r, 350));
    expect(await b.get('token:9f86d081')).toBeUndefined();
    expect(b.stats()).toMatchObject({ hits: 1, misses: 1, errors: 0 });
  });

  it('treats an unreadable entry as a miss and removes it', async () => {
    const prefix = testPrefix('cache');
    const c = await cache(prefix);
    const raw = new Redis(REDIS_URL);
    onTestFinished(() => raw.disconnect());
    await raw.set(`${prefix}k`, '{not json');
    expect(await c.get('k')).toBeUndefined();
    expect(await raw.exists(`${prefix}k`)).toBe(0);
  });

  it('flushes only its prefix, never the rate limits next to it', async () => {
    const prefix = testPrefix('cache');
    const c = await cache(`${prefix}cache:`);
    const limits = createRedisRateLimitStore({ url: REDIS_URL, keyPrefix: `${prefix}rl:` });
    onTestFinished(() => limits.close());
    await limits.waitReady(5000);
    await limits.take('user:7', 10, 60_000);
    for (let i = 0; i < 1200; i++) await c.set(`${i % 2 === 0 ? 'token' : 'project'}:${i}`, i, 60_000);
    expect(await c.flush('token:')).toBe(600);
    expect(await c.get('project:1')).toBe(1);
    expect(await c.flush()).toBe(600);
    expect(await keysUnder(prefix)).toEqual([`${prefix}rl:user:7`]);
  });

  it('matches glob characters in a prefix literally', async () => {
    const prefix = testPrefix('cache');
    const c = await cache(`${prefix}[a]*:`);
    const other = await cache(`${prefix}a:`);
    await c.set('x', 1, 60_000);
    await other.set('x', 2, 60_000);
    expect(await c.flush()).toBe(1);
    expect(await other.get('x')).toBe(2);
  });

  it('behaves as a miss while Redis is down, and throws for a flush', async () => {
    const prefix = testPrefix('cache');
    const proxy = await startTcpProxy(REDIS_PORT);
    onTestFinished(() => proxy.close());
    const c = await cache(prefix, `redis://127.0.0.1:${proxy.port}`);
    await c.set('k', 1, 60_000);
    await proxy.down();
    const start = performance.now();
    expect(await c.get('k')).toBeUndefined();
    await c.set('k2', 2, 60_000);
    expect(performance.now() - start).toBeLessThan(500);
    expect(c.stats()).toMatchObject({ errors: 2, misses: 1 });
    await expect(c.flush()).rejects.toThrow();
    await proxy.up();
    expect(await c.waitReady(5000)).toBe(true);
    expect(await c.get('k')).toBe(1);
  });
});

describe('aigate cache flush', () => {
  it('deletes the keys under the prefix and says how many', async () => {
    const prefix = testPrefix('cache');
    const c = await cache(prefix);
    for (let i = 0; i < 3; i++) await c.set(`project:${i}`, i, 60_000);
    await c.set('token:1', 1, 60_000);
    const only = await cli(['cache', 'flush', '--redis', REDIS_URL, '--prefix', `${prefix}project:`]);
    expect(only).toEqual({ code: 0, out: `flushed 3 key(s) under "${prefix}project:"\n`, err: '' });
    const rest = await cli(['cache', 'flush', '--prefix', prefix], { AIGATE_REDIS_URL: REDIS_URL });
    expect(rest.out).toBe(`flushed 1 key(s) under "${prefix}"\n`);
    expect(await keysUnder(prefix)).toEqual([]);
  });

  it('exits 1 when Redis cannot be reached, without printing the password', async () => {
    const r = await cli(['cache', 'flush', '--redis', `redis://:pa55w0rd-x@127.0.0.1:${await closedPort()}`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^aigate cache flush: cannot reach Redis/);
    expect(r.err).not.toContain('pa55w0rd');
  });

  it('exits 2 for usage errors, including an empty prefix', async () => {
    for (const args of [['cache'], ['cache', 'clear'], ['cache', 'flush'], ['cache', 'flush', '--redis', 'http://x'], ['cache', 'flush', '--redis', REDIS_URL, '--prefix', ''], ['cache', 'flush', '--redis', REDIS_URL, 'extra']]) {
      expect((await cli(args)).code, args.join(' ')).toBe(2);
    }
    expect((await cli(['cache', '--help'])).out).toContain('usage: aigate cache flush');
  });
});
