import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RateLimitStoreUnavailable } from '../../dataplane/limits/rate-limit-store.ts';
import { createRedisRateLimitStore, type RedisRateLimitStore } from '../../dataplane/limits/redis-store.ts';
import { closedPort, startTcpProxy } from '../audit-db/tcp-proxy.ts';
import { keysUnder, REDIS_PORT, REDIS_URL, testPrefix } from './redis-helpers.ts';

const HOUR = 3_600_000;

async function store(keyPrefix: string, url = REDIS_URL, commandTimeoutMs?: number): Promise<RedisRateLimitStore> {
  const s = createRedisRateLimitStore({ url, keyPrefix, ...(commandTimeoutMs ? { commandTimeoutMs } : {}) });
  onTestFinished(() => s.close());
  expect(await s.waitReady(5000)).toBe(true);
  return s;
}

async function elapsed<T>(fn: () => Promise<T>): Promise<{ ms: number; error: unknown }> {
  const start = performance.now();
  try {
    await fn();
    return { ms: performance.now() - start, error: null };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

describe('Redis rate-limit store shared by replicas', () => {
  it('refuses the 101st request of 100/h whichever replica gets it', async () => {
    const prefix = testPrefix('rl');
    const [a, b] = [await store(prefix), await store(prefix)];
    for (let i = 0; i < 100; i++) {
      const r = await (i % 2 === 0 ? a : b).take('user:7', 100, HOUR);
      expect(r, `request ${i + 1}`).toMatchObject({ allowed: true, remaining: 99 - i });
    }
    for (const replica of [a, b]) {
      const refused = await replica.take('user:7', 100, HOUR);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterMs).toBeGreaterThan(HOUR - 60_000);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(HOUR);
    }
    // Another user has a limit of their own.
    expect((await b.take('user:8', 100, HOUR)).allowed).toBe(true);
  });

  it('never over-admits concurrent takes from two connections', async () => {
    const prefix = testPrefix('rl');
    const [a, b] = [await store(prefix, REDIS_URL, 5000), await store(prefix, REDIS_URL, 5000)];
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? a : b).take('burst', 150, HOUR)));
    expect(results.filter((r) => r.allowed)).toHaveLength(150);
    // Every admitted request saw a distinct remaining count: no two were given the same slot.
    expect(new Set(results.filter((r) => r.allowed).map((r) => r.remaining)).size).toBe(150);
  });

  it('holds the limit across two processes', async () => {
    const prefix = testPrefix('rl');
    const child = spawn(process.execPath, [fileURLToPath(new URL('./take-child.ts', import.meta.url)), REDIS_URL, prefix, 'user:7', '100', String(HOUR), '80'], { stdio: ['pipe', 'pipe', 'inherit'] });
    onTestFinished(() => void child.kill());
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    for (const end = Date.now() + 10_000; !out.includes('ready'); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error(`child not ready: ${out}`);
    const here = await store(prefix, REDIS_URL, 5000);
    child.stdin.write('go\n');
    const mine = await Promise.all(Array.from({ length: 80 }, () => here.take('user:7', 100, HOUR)));
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    const theirs = JSON.parse(out.split('\n').find((l) => l.startsWith('{')) as string) as { allowed: number };
    expect(mine.filter((r) => r.allowed).length + theirs.allowed).toBe(100);
  });

  it('keeps its keys under the prefix and lets them expire with the window', async () => {
    const prefix = testPrefix('rl');
    const s = await store(prefix);
    await s.take('user:7', 5, 2000);
    expect(await keysUnder(prefix)).toEqual([`${prefix}user:7`]);
    const redis = new Redis(REDIS_URL);
    onTestFinished(() => redis.disconnect());
    const ttl = await redis.pttl(`${prefix}user:7`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(2000);
  });

  it('slides: admits again once the oldest request leaves the window', async () => {
    const prefix = testPrefix('rl');
    const s = await store(prefix);
    expect((await s.take('k', 2, 300)).allowed).toBe(true);
    expect((await s.take('k', 2, 300)).allowed).toBe(true);
    const refused = await s.take('k', 2, 300);
    expect(refused.allowed).toBe(false);
    await new Promise((r) => setTimeout(r, refused.retryAfterMs + 20));
    expect((await s.take('k', 2, 300)).allowed).toBe(true);
  });
});

describe('Redis rate-limit store when Redis is down', () => {
  it('throws RateLimitStoreUnavailable at once when nothing listens', async () => {
    const s = createRedisRateLimitStore({ url: `redis://127.0.0.1:${await closedPort()}`, keyPrefix: 'aigate-test:none:' });
    onTestFinished(() => s.close());
    const { ms, error } = await elapsed(() => s.take('user:7', 100, HOUR));
    expect(error).toBeInstanceOf(RateLimitStoreUnavailable);
    expect(ms).toBeLessThan(100);
  });

  it('throws promptly when Redis goes away, and works again when it is back', async () => {
    const prefix = testPrefix('rl');
    const proxy = await startTcpProxy(REDIS_PORT);
    onTestFinished(() => proxy.close());
    const s = await store(prefix, `redis://127.0.0.1:${proxy.port}`);
    expect((await s.take('user:7', 3, HOUR)).allowed).toBe(true);
    await proxy.down();
    const { ms, error } = await elapsed(() => s.take('user:7', 3, HOUR));
    expect(error).toBeInstanceOf(RateLimitStoreUnavailable);
    expect(ms).toBeLessThan(500);
    await proxy.up();
    expect(await s.waitReady(5000)).toBe(true);
    // The count made before the outage is still there: Redis kept it.
    expect(await s.take('user:7', 3, HOUR)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('throws after the command timeout when Redis hangs', async () => {
    const prefix = testPrefix('rl');
    const proxy = await startTcpProxy(REDIS_PORT);
    onTestFinished(() => proxy.close());
    const s = await store(prefix, `redis://127.0.0.1:${proxy.port}`, 150);
    proxy.stall();
    const { ms, error } = await elapsed(() => s.take('user:7', 3, HOUR));
    expect(error).toBeInstanceOf(RateLimitStoreUnavailable);
    expect((error as Error).message).toMatch(/timed out/i);
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(1000);
  });

  it('never puts the Redis URL (it may hold a password) in its errors', async () => {
    const s = createRedisRateLimitStore({ url: `redis://:s3cret-pass@127.0.0.1:${await closedPort()}`, keyPrefix: 'aigate-test:none:' });
    onTestFinished(() => s.close());
    await new Promise((r) => setTimeout(r, 50));
    const { error } = await elapsed(() => s.take('k', 1, 1000));
    expect(error).toBeInstanceOf(RateLimitStoreUnavailable);
    expect(String((error as Error).message)).not.toContain('s3cret');
  });
});
