import type { RateLimitResult, RateLimitStore } from './rate-limit-store.ts';

/** Keys remembered at most; beyond it the least recently used are dropped (a flood of fresh users cannot exhaust memory). */
const MAX_KEYS = 100_000;

interface Ring {
  /** The last `limit` admitted request times, oldest at `head` once full. */
  times: Float64Array;
  head: number;
  count: number;
}

/**
 * Exact sliding window for a single instance: the 101st request in any rolling hour is refused
 * (a fixed clock-hour window would admit 200 across an hour boundary, GCRA up to twice the limit
 * after a burst). Each key keeps a ring of its last `limit` admissions, so a take is O(1) and memory
 * is 8 bytes × limit per active key.
 */
export function createMemoryRateLimitStore(options: { now?: () => number; maxKeys?: number } = {}): RateLimitStore {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? MAX_KEYS;
  const rings = new Map<string, Ring>();
  return {
    kind: 'memory',
    async take(key, limit, windowMs): Promise<RateLimitResult> {
      const t = now();
      let ring = rings.get(key);
      if (ring) rings.delete(key); // re-inserted below: Map order doubles as least-recently-used order
      // A changed limit (a new bundle) starts the key afresh rather than guessing.
      if (!ring || ring.times.length !== limit) ring = { times: new Float64Array(limit), head: 0, count: 0 };
      rings.set(key, ring);
      if (rings.size > maxKeys) rings.delete(rings.keys().next().value!);
      const windowStart = t - windowMs;
      if (ring.count === limit) {
        const oldest = ring.times[ring.head]!;
        if (oldest > windowStart) return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, Math.ceil(oldest - windowStart)) };
        ring.times[ring.head] = t;
        ring.head = (ring.head + 1) % limit;
      } else {
        ring.times[(ring.head + ring.count) % limit] = t;
        ring.count++;
      }
      // A lower bound (expired entries still in a full ring are not counted back): cheap and never optimistic.
      const remaining = ring.count < limit ? limit - ring.count : ring.times[ring.head]! <= windowStart ? 1 : 0;
      return { allowed: true, remaining, retryAfterMs: 0 };
    },
    async close() {
      rings.clear();
    },
  };
}
