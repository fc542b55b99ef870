import type { Redis } from 'ioredis';
import { closeRedis, openRedis, waitForRedis } from './open-redis.ts';
import type { SharedCache, SharedCacheStats } from './shared-cache.ts';

export interface RedisSharedCacheOptions {
  readonly url: string;
  /** Prefix of every key (default "aigate:cache:"); `aigate cache flush` clears exactly this prefix. */
  readonly keyPrefix?: string;
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export const DEFAULT_CACHE_PREFIX = 'aigate:cache:';

/** Keys per SCAN step and per UNLINK when flushing. */
const SCAN_COUNT = 500;

/**
 * The SharedCache of several replicas. get/set never throw for Redis trouble (they count it and
 * behave as a miss); flush does, since a flush an operator asked for must not silently do nothing.
 */
export function createRedisSharedCache(options: RedisSharedCacheOptions): SharedCache & { waitReady(timeoutMs: number): Promise<boolean> } {
  const prefix = options.keyPrefix ?? DEFAULT_CACHE_PREFIX;
  if (prefix === '') throw new TypeError('redis shared cache: keyPrefix must not be empty (a flush would clear the whole database)');
  const { redis, lastError: connectionError } = openRedis({ url: options.url, commandTimeoutMs: options.commandTimeoutMs, connectTimeoutMs: options.connectTimeoutMs, name: 'aigate-cache' });
  let hits = 0;
  let misses = 0;
  let errors = 0;
  let lastError: string | null = null;
  const failed = (error: unknown): void => {
    errors++;
    lastError = error instanceof Error ? error.message : String(error);
  };

  return {
    kind: 'redis',
    async get<T>(key: string): Promise<T | undefined> {
      let json: string | null;
      try {
        json = await redis.get(prefix + key);
      } catch (error) {
        failed(error);
        misses++;
        return undefined;
      }
      if (json === null) {
        misses++;
        return undefined;
      }
      try {
        const value = JSON.parse(json) as T;
        hits++;
        return value;
      } catch (error) {
        // Not ours or damaged: a miss, and gone so the next load replaces it.
        failed(error);
        misses++;
        await redis.unlink(prefix + key).catch(() => undefined);
        return undefined;
      }
    },
    async set(key, value, ttlMs) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError('shared cache: value is not JSON-serialisable');
      try {
        if (ttlMs > 0) await redis.set(prefix + key, json, 'PX', Math.ceil(ttlMs));
        else await redis.unlink(prefix + key);
      } catch (error) {
        failed(error);
      }
    },
    async delete(key) {
      await redis.unlink(prefix + key).catch(failed);
    },
    flush: (sub = '') => flushPrefix(redis, prefix + sub),
    stats: (): SharedCacheStats => ({ hits, misses, errors, lastError: lastError ?? connectionError() }),
    waitReady: (timeoutMs) => waitForRedis(redis, timeoutMs),
    close: () => closeRedis(redis),
  };
}

/**
 * Deletes every key starting with `prefix` with SCAN + UNLINK (never KEYS or FLUSHDB: the first
 * blocks Redis on a large keyspace, the second would also wipe the shared rate limits).
 */
export async function flushPrefix(redis: Redis, prefix: string): Promise<number> {
  if (prefix === '') throw new TypeError('flush: refusing an empty prefix');
  const pattern = `${escapeGlob(prefix)}*`;
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
    if (keys.length > 0) removed += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return removed;
}

/** SCAN MATCH is a glob: a prefix holding *, ?, [ or \ must match only itself. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
