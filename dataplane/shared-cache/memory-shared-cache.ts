import type { SharedCache, SharedCacheStats } from './shared-cache.ts';

export interface MemorySharedCacheOptions {
  /** Most entries kept; past it the least recently written go first (default 50 000). */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/**
 * The single-replica SharedCache. Values are stored as JSON text, as Redis stores them, so a caller
 * that mutates what it got cannot change the cached entry, and both stores behave alike.
 */
export function createMemorySharedCache(options: MemorySharedCacheOptions = {}): SharedCache & { readonly size: number } {
  const maxEntries = options.maxEntries ?? 50_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { json: string; expires: number }>();
  let hits = 0;
  let misses = 0;

  return {
    kind: 'memory',
    async get<T>(key: string): Promise<T | undefined> {
      const entry = entries.get(key);
      if (!entry || entry.expires <= now()) {
        if (entry) entries.delete(key);
        misses++;
        return undefined;
      }
      hits++;
      return JSON.parse(entry.json) as T;
    },
    async set(key, value, ttlMs) {
      entries.delete(key);
      if (!(ttlMs > 0)) return;
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError('shared cache: value is not JSON-serialisable');
      // Oldest-first eviction keeps memory bounded under a flood of distinct (even bogus) tokens.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { json, expires: now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async flush(prefix = '') {
      let removed = 0;
      for (const key of [...entries.keys()]) {
        if (key.startsWith(prefix)) {
          entries.delete(key);
          removed++;
        }
      }
      return removed;
    },
    stats: (): SharedCacheStats => ({ hits, misses, errors: 0, lastError: null }),
    async close() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
