import { Redis } from 'ioredis';

export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port[/db], or rediss:// for TLS. */
  readonly url: string;
  /** A command without a reply after this long fails (default 250 ms). */
  readonly commandTimeoutMs?: number;
  /** Connecting gives up after this long, then retries in the background (default 1000 ms). */
  readonly connectTimeoutMs?: number;
  /** Shown in CLIENT LIST, so an operator can tell aigate's connections apart. */
  readonly name?: string;
  /** Reconnect after a failure (default true); a one-shot CLI command gives up at once instead. */
  readonly reconnect?: boolean;
}

/**
 * A Redis connection for the request path, tuned to fail fast rather than wait: no offline queue
 * (a command while disconnected fails at once instead of queueing until Redis is back), no retry of
 * commands in flight when the connection drops, a short command timeout. Reconnects forever in the
 * background. `lastError` keeps the latest connection error (never the URL: it may hold a password).
 */
export function openRedis(options: RedisConnectionOptions): { redis: Redis; lastError: () => string | null } {
  let lastError: string | null = null;
  const redis = new Redis(options.url, {
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: options.connectTimeoutMs ?? 1000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: options.reconnect === false ? () => null : (times) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    connectionName: options.name ?? 'aigate',
    disableClientInfo: true,
  });
  // Without a listener ioredis prints every failed reconnect attempt to the console.
  redis.on('error', (error: Error) => void (lastError = error.message));
  redis.on('ready', () => void (lastError = null));
  return { redis, lastError: () => lastError };
}

/**
 * Resolves true once the connection is ready; false after `timeoutMs` (a reconnecting connection
 * keeps trying) or as soon as a connection that does not reconnect has ended.
 */
export function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  if (redis.status === 'end') return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('end', onEnd);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const onEnd = (): void => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
    redis.on('end', onEnd);
  });
}

/** Closes without waiting for a Redis that is down (QUIT would wait for a reply that never comes). */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    await redis.quit().catch(() => redis.disconnect());
  } else {
    redis.disconnect();
  }
}
