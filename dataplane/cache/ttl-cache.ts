/**
 * A bounded in-memory cache with per-entry lifetimes and single-flight loading: concurrent misses
 * for one key share one load, so a burst of requests with a new token makes one GitLab call.
 * (A Redis-backed cache with the same interface serves several replicas.)
 */
export interface TtlCache<V> {
  /** The cached value, or the loader's; `ttlFor` decides how long a loaded value lives (0 = not cached). */
  getOrLoad(key: string, load: () => Promise<V>, ttlFor: (value: V) => number): Promise<{ value: V; hit: boolean }>;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
  readonly stats: { hits: number; misses: number };
}

export function createTtlCache<V>(options: { maxEntries?: number; now?: () => number } = {}): TtlCache<V> {
  const maxEntries = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: V; expires: number }>();
  const inflight = new Map<string, Promise<V>>();
  const stats = { hits: 0, misses: 0 };

  return {
    async getOrLoad(key, load, ttlFor) {
      const entry = entries.get(key);
      if (entry && entry.expires > now()) {
        stats.hits++;
        return { value: entry.value, hit: true };
      }
      if (entry) entries.delete(key);
      stats.misses++;
      let pending = inflight.get(key);
      if (!pending) {
        pending = load().finally(() => inflight.delete(key));
        inflight.set(key, pending);
        const value = await pending;
        const ttl = ttlFor(value);
        if (ttl > 0) {
          // Oldest-first eviction keeps memory bounded under a flood of distinct (even bogus) tokens.
          if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
          entries.set(key, { value, expires: now() + ttl });
        }
        return { value, hit: false };
      }
      return { value: await pending, hit: false };
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
    stats,
  };
}
