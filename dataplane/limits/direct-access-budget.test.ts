import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './memory-store.ts';

describe('memory rate-limit store: the direct_access budget (10 per 5 minutes)', () => {
  it('never lets any window hold more than the limit, unlike a fixed window at its boundary', async () => {
    let t = 0;
    const store = createMemoryRateLimitStore({ now: () => t });
    const allowedAt: number[] = [];
    // Calls every 7 s for 20 minutes; a fixed 5-minute window would allow 20 around each boundary.
    for (t = 0; t < 1_200_000; t += 7_000) if ((await store.take('u', 10, 300_000)).allowed) allowedAt.push(t);
    for (const start of allowedAt) expect(allowedAt.filter((a) => a >= start && a < start + 300_000).length).toBeLessThanOrEqual(10);
    expect(allowedAt.length).toBeGreaterThanOrEqual(30);
  });

  it('reports when the next call fits and keeps keys apart', async () => {
    let t = 1000;
    const store = createMemoryRateLimitStore({ now: () => t });
    for (let i = 0; i < 3; i++) await store.take('a', 3, 60_000);
    t = 21_000;
    expect(await store.take('a', 3, 60_000)).toEqual({ allowed: false, remaining: 0, retryAfterMs: 40_000 });
    expect((await store.take('b', 3, 60_000)).allowed).toBe(true);
    t = 61_001;
    expect((await store.take('a', 3, 60_000)).allowed).toBe(true);
  });
});
