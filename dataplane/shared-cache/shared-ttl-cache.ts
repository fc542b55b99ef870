import type { TtlCache } from '../cache/ttl-cache.ts';
import type { SharedCache } from './shared-cache.ts';

/**
 * The proxy's TtlCache interface (dataplane/cache/ttl-cache.ts) on top of a SharedCache, so the
 * GitLab identity caches can live in Redis without changing their callers. Entries go under
 * `namespace` (e.g. "token:", "project:"); concurrent misses for one key in this process still
 * share one load. `clear()` flushes the namespace in the background (use the SharedCache's
 * flush() to wait for it); `size` is not known for a shared store and reads 0.
 */
export function createSharedTtlCache<V>(shared: SharedCache, namespace: string): TtlCache<V> {
  const inflight = new Map<string, Promise<V>>();
  const stats = { hits: 0, misses: 0 };
  return {
    async getOrLoad(key, load, ttlFor) {
      const full = namespace + key;
      const cached = await shared.get<{ v: V }>(full);
      if (cached !== undefined) {
        stats.hits++;
        return { value: cached.v, hit: true };
      }
      stats.misses++;
      let pending = inflight.get(full);
      if (!pending) {
        pending = load().finally(() => inflight.delete(full));
        inflight.set(full, pending);
        const value = await pending;
        // Wrapped, so a cached `null` or `false` is a hit rather than a miss.
        await shared.set(full, { v: value }, ttlFor(value));
        return { value, hit: false };
      }
      return { value: await pending, hit: false };
    },
    delete: (key) => void shared.delete(namespace + key),
    clear: () => void shared.flush(namespace).catch(() => undefined),
    get size() {
      return 0;
    },
    stats,
  };
}
