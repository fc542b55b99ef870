import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { closeRedis, openRedis, waitForRedis } from '../shared-cache/open-redis.ts';
import { checkLimit } from './check-limit.ts';
import { RateLimitStoreUnavailable, type RateLimitResult, type RateLimitStore } from './rate-limit-store.ts';

export interface RedisRateLimitStoreOptions {
  /** redis://[user:password@]host:port[/db], or rediss:// for TLS. */
  readonly url: string;
  /** Prefix of every key this store writes (default "aigate:rl:"); replicas sharing limits use the same. */
  readonly keyPrefix?: string;
  /** A take without a reply after this long throws RateLimitStoreUnavailable (default 250 ms). */
  readonly commandTimeoutMs?: number;
  readonly connectTimeoutMs?: number;
}

export interface RedisRateLimitStore extends RateLimitStore {
  readonly kind: 'redis';
  /** Resolves true once connected; takes before that throw RateLimitStoreUnavailable. */
  waitReady(timeoutMs: number): Promise<boolean>;
}

/**
 * Sliding window log, in one script so that check and count are one atomic step whichever replica
 * runs it: two replicas taking the last slot at the same moment cannot both be admitted. The clock
 * is Redis's (TIME), not the replicas', so clock skew between hosts cannot stretch a window.
 * The log of a key holds at most `limit` entries and expires with its window.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1, 0}
end
-- One more fits once the entry \`limit\` places from the newest has left the window.
local freeing = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
local retry = math.ceil(tonumber(freeing[2]) + window - now)
if retry < 1 then retry = 1 end
return {0, 0, retry}
`;

type TakeCommand = (key: string, limit: number, windowMs: number, member: string) => Promise<[number, number, number]>;

/** Rate limits shared by every replica pointing at the same Redis and key prefix. */
export function createRedisRateLimitStore(options: RedisRateLimitStoreOptions): RedisRateLimitStore {
  const prefix = options.keyPrefix ?? 'aigate:rl:';
  const { redis, lastError } = openRedis({ url: options.url, commandTimeoutMs: options.commandTimeoutMs, connectTimeoutMs: options.connectTimeoutMs, name: 'aigate-rate-limits' });
  redis.defineCommand('aigateTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  const take = (redis as Redis & { aigateTake: TakeCommand }).aigateTake.bind(redis);
  // Log members must be unique across replicas, or two requests in the same microsecond would count once.
  const instance = randomBytes(6).toString('hex');
  let sequence = 0;

  return {
    kind: 'redis',
    async take(key: string, limit: number, windowMs: number): Promise<RateLimitResult> {
      checkLimit(limit, windowMs);
      let reply: [number, number, number];
      try {
        reply = await take(prefix + key, limit, windowMs, `${instance}:${++sequence}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new RateLimitStoreUnavailable(`rate limit store (Redis) did not answer: ${reason}${lastError() && lastError() !== reason ? ` (${lastError()})` : ''}`, { cause: error });
      }
      const [allowed, remaining, retryAfterMs] = reply;
      return { allowed: allowed === 1, remaining, retryAfterMs };
    },
    waitReady: (timeoutMs) => waitForRedis(redis, timeoutMs),
    close: () => closeRedis(redis),
  };
}
