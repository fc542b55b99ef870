import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './memory-store.ts';

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('memory rate-limit store', () => {
  it('admits exactly `limit` requests per window and says how long to wait', async () => {
    const c = clock();
    const store = createMemoryRateLimitStore({ now: c.now });
    const results = [];
    for (let i = 0; i < 100; i++) {
      results.push(await store.take('user:7', 100, 3_600_000));
      c.advance(1000);
    }
    expect(results.every((r) => r.allowed)).toBe(true);
    expect(results.map((r) => r.remaining).slice(0, 2)).toEqual([99, 98]);
    expect(results.at(-1)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    const refused = await store.take('user:7', 100, 3_600_000);
    // The first request was 100 s ago; it leaves the hour-long window in 3 500 s.
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 3_500_000 });
  });

  it('slides: a request becomes possible again exactly when the oldest leaves the window', async () => {
    const c = clock();
    const store = createMemoryRateLimitStore({ now: c.now });
    expect((await store.take('k', 2, 1000)).allowed).toBe(true);
    c.advance(400);
    expect((await store.take('k', 2, 1000)).allowed).toBe(true);
    c.advance(599);
    expect(await store.take('k', 2, 1000)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 1 });
    c.advance(1);
    expect(await store.take('k', 2, 1000)).toEqual({ allowed: true, remaining: 0, retryAfterMs: 0 });
    expect((await store.take('k', 2, 1000)).retryAfterMs).toBe(400);
  });

  it('keeps keys apart and does not count refused requests', async () => {
    const c = clock();
    const store = createMemoryRateLimitStore({ now: c.now });
    await store.take('a', 1, 1000);
    expect((await store.take('a', 1, 1000)).allowed).toBe(false);
    expect((await store.take('a', 1, 1000)).allowed).toBe(false);
    expect((await store.take('b', 1, 1000)).allowed).toBe(true);
    c.advance(1000);
    expect((await store.take('a', 1, 1000)).allowed).toBe(true);
  });

  it('honours a lowered limit for entries already counted', async () => {
    const c = clock();
    const store = createMemoryRateLimitStore({ now: c.now });
    for (let i = 0; i < 5; i++, c.advance(10)) await store.take('k', 10, 1000);
    // Five in the window, limit now 3: one more fits once three of them have left (the third, at +20).
    expect(await store.take('k', 3, 1000)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 970 });
  });

  it('stays within maxEntries under a flood of distinct keys, forgetting the least recently used', async () => {
    const c = clock();
    const store = createMemoryRateLimitStore({ now: c.now, maxEntries: 1000 });
    await store.take('busy', 1, 60_000);
    for (let i = 0; i < 10_000; i++) {
      await store.take(`flood:${i}`, 5, 60_000);
      if (i % 100 === 0) await store.take('busy', 1, 60_000);
      expect(store.entries).toBeLessThanOrEqual(1000);
    }
    // The key used all along was never the least recently used one, so it is still limited.
    expect((await store.take('busy', 1, 60_000)).allowed).toBe(false);
    expect(store.size).toBeLessThanOrEqual(1000);
  });

  it('drops expired timestamps of a busy key instead of growing', async () => {
    const c = clock();
    const store = createMemoryRateLimitStore({ now: c.now });
    for (let i = 0; i < 100_000; i++, c.advance(1)) await store.take('k', 10, 10);
    expect(store.entries).toBeLessThanOrEqual(10);
  });

  it('refuses a limit or window that is not a positive integer', async () => {
    const store = createMemoryRateLimitStore();
    for (const [limit, windowMs] of [[0, 1000], [1.5, 1000], [10, 0], [10, Number.NaN]] as const) {
      await expect(store.take('k', limit, windowMs)).rejects.toThrow(TypeError);
    }
  });
});
