/**
 * A cache every replica can share (Redis) or a replica keeps to itself (memory), for GitLab answers:
 * token hash → user, user + project → access. Keys are hashes or ids chosen by the caller, never raw
 * tokens; values are JSON. A cache that cannot answer behaves as a miss (the caller asks GitLab) and
 * counts the error: a Redis outage slows requests down, it does not fail them.
 */
export interface SharedCache {
  readonly kind: 'memory' | 'redis';
  /** The value stored under `key`, or undefined (missing, expired, unreadable, or the store is down). */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON-serialisable value for `ttlMs` milliseconds (a non-positive ttl stores nothing). */
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Removes every entry whose key starts with `prefix` (all entries when omitted) and returns how
   * many. Unlike get/set it throws when the store is down: a flush asked for must not pass silently.
   */
  flush(prefix?: string): Promise<number>;
  stats(): SharedCacheStats;
  close(): Promise<void>;
}

export interface SharedCacheStats {
  readonly hits: number;
  readonly misses: number;
  /** Operations that failed because the store did not answer (each also counted as a miss for get). */
  readonly errors: number;
  readonly lastError: string | null;
}
