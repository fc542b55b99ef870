import { checkLimit } from './check-limit.ts';
import type { RateLimitResult, RateLimitStore } from './rate-limit-store.ts';

export interface MemoryRateLimitStoreOptions {
  /** Most timestamps held over all keys (default 1 000 000, about 8 MB plus per-key overhead). */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Log {
  /** Arrival times, oldest first, from `head` on (a queue without shift()'s O(n) copy). */
  times: number[];
  head: number;
}

/**
 * Sliding window log for a single instance: exact (the 101st request in any 60-minute span is
 * refused, not just within a clock-aligned hour), one take is O(1) amortised. Memory is bounded by
 * `maxEntries` timestamps: past it, the least recently used keys are forgotten first. Forgetting a
 * key lets that key start over, so the bound is set far above what real traffic holds (each key
 * keeps at most `limit` timestamps, and only those inside its window).
 */
export function createMemoryRateLimitStore(options: MemoryRateLimitStoreOptions = {}): RateLimitStore & { readonly size: number; readonly entries: number } {
  const maxEntries = options.maxEntries ?? 1_000_000;
  const now = options.now ?? Date.now;
  // Map iteration order is insertion order; re-inserting on every take makes it least-recently-used first.
  const logs = new Map<string, Log>();
  let entries = 0;

  const expire = (log: Log, cutoff: number): void => {
    const { times } = log;
    while (log.head < times.length && (times[log.head] as number) <= cutoff) log.head++;
    if (log.head > 64 && log.head * 2 > times.length) {
      times.splice(0, log.head);
      log.head = 0;
    }
  };

  return {
    kind: 'memory',
    async take(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
      checkLimit(limit, windowMs);
      const t = now();
      const log = logs.get(key) ?? { times: [], head: 0 };
      logs.delete(key);
      const before = log.times.length - log.head;
      expire(log, t - windowMs);
      let count = log.times.length - log.head;
      let result: RateLimitResult;
      if (count < limit) {
        log.times.push(t);
        count++;
        result = { allowed: true, remaining: limit - count, retryAfterMs: 0 };
      } else {
        // The oldest entries still inside the window: one more is allowed when enough of them leave.
        const freeing = log.times[log.times.length - limit] as number;
        result = { allowed: false, remaining: 0, retryAfterMs: Math.max(1, Math.ceil(freeing + windowMs - t)) };
      }
      entries += count - before;
      if (count > 0) logs.set(key, log);
      while (entries > maxEntries && logs.size > 0) {
        const [oldestKey, oldest] = logs.entries().next().value as [string, Log];
        logs.delete(oldestKey);
        entries -= oldest.times.length - oldest.head;
      }
      return result;
    },
    async close() {
      logs.clear();
      entries = 0;
    },
    get size() {
      return logs.size;
    },
    get entries() {
      return entries;
    },
  };
}
