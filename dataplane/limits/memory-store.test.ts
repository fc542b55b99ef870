import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './memory-store.ts';

describe('memory rate-limit store (sliding window)', () => {
  it('refuses the request above the limit inside a rolling window and says when to retry', async () => {
    let t = 1_000_000;
    const store = createMemoryRateLimitStore({ now: () => t });
    const results = [];
    for (let i = 0; i < 3; i++) {
      results.push(await store.take('u:1', 3, 60_000));
      t += 10_000;
    }
    results.push(await store.take('u:1', 3, 60_000));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results.map((r) => r.remaining)).toEqual([2, 1, 0, 0]);
    expect(results[3]!.retryAfterMs).toBe(30_000);
    t += 29_999;
    expect((await store.take('u:1', 3, 60_000)).allowed).toBe(false);
    t += 1;
    expect((await store.take('u:1', 3, 60_000)).allowed).toBe(true);
    expect((await store.take('u:1', 3, 60_000)).allowed).toBe(false);
    // Another key is independent; a full window later the whole limit is available again.
    expect((await store.take('u:2', 3, 60_000)).allowed).toBe(true);
    t += 60_000;
    for (let i = 0; i < 3; i++) expect((await store.take('u:1', 3, 60_000)).allowed).toBe(true);
  });

  it('never admits more than `limit` in any window under a steady stream', async () => {
    let t = 0;
    const store = createMemoryRateLimitStore({ now: () => t });
    const admitted: number[] = [];
    for (; t < 600_000; t += 250) if ((await store.take('k', 100, 60_000)).allowed) admitted.push(t);
    for (let i = 0; i + 100 < admitted.length; i++) expect(admitted[i + 100]! - admitted[i]!).toBeGreaterThanOrEqual(60_000);
  });

  it('keeps a bounded number of keys', async () => {
    const store = createMemoryRateLimitStore({ maxKeys: 10 });
    for (let i = 0; i < 50; i++) await store.take(`u:${i}`, 1, 60_000);
    expect((await store.take('u:0', 1, 60_000)).allowed).toBe(true);
    expect((await store.take('u:49', 1, 60_000)).allowed).toBe(false);
  });
});
