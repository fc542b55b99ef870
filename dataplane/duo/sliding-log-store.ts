import type { RateLimitResult, RateLimitStore } from '../limits/rate-limit-store.ts';

/**
 * An exact sliding-window limiter: it keeps the time of every counted call, so no window of
 * `windowMs`, wherever it starts, ever holds more than `limit` calls. Meant for small limits
 * (GitLab's direct_access: 10 per 5 minutes per user); memory is `limit` numbers per key.
 */
export function createSlidingLogStore(now: () => number = Date.now, maxKeys = 100_000): RateLimitStore {
  const logs = new Map<string, number[]>();
  return {
    kind: 'memory',
    async take(key, limit, windowMs): Promise<RateLimitResult> {
      const t = now();
      const log = (logs.get(key) ?? []).filter((at) => at > t - windowMs);
      if (log.length >= limit) {
        logs.set(key, log);
        // The oldest call leaves the window first; one more fits once it has.
        return { allowed: false, remaining: 0, retryAfterMs: Math.max(1, (log[0] as number) + windowMs - t) };
      }
      log.push(t);
      logs.delete(key);
      if (logs.size >= maxKeys) logs.delete(logs.keys().next().value as string);
      logs.set(key, log);
      return { allowed: true, remaining: limit - log.length, retryAfterMs: 0 };
    },
    close: async () => logs.clear(),
  };
}
