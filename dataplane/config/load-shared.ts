import type { ConfigReader } from './config-reader.ts';
import type { DataplaneConfig } from './dataplane-config.ts';

type Raw = Record<string, any>;
type Shared = Pick<DataplaneConfig, 'redis' | 'sharedCache' | 'auditDatabase' | 'adminToken' | 'metricsToken'>;

/** Admin tokens shorter than this are refused: the endpoint flushes every replica's caches. */
const MIN_ADMIN_TOKEN = 24;

/**
 * The scale-out part of the configuration: shared Redis, the PostgreSQL audit database, and the
 * admin and metrics tokens. Every secret comes from the environment variable the file names; a
 * missing variable is a problem naming the variable, never a value.
 */
export function loadShared(raw: Raw, read: ConfigReader): Shared {
  const { duration, problems, where } = read;
  const secret = read.secret;
  const out: { -readonly [K in keyof Shared]: Shared[K] } = {};
  const redisUrl = secret(raw['redis']?.url, 'redis.url');
  if (redisUrl !== undefined) {
    if (!/^rediss?:\/\//.test(redisUrl)) problems.push(where('redis.url: the variable must hold a redis:// or rediss:// URL'));
    out.redis = { url: redisUrl, commandTimeoutMs: duration(raw['redis']?.command_timeout, 250, 'redis.command_timeout') };
  }
  const needsRedis = (key: string) => {
    if (!raw['redis']) problems.push(where(`${key} is redis, which needs redis.url`));
  };
  if (raw['rate_limits']?.store === 'redis') needsRedis('rate_limits.store');
  if (raw['cache']?.store === 'redis') {
    needsRedis('cache.store');
    out.sharedCache = { prefix: raw['cache']?.redis_prefix ?? 'aigate:cache:' };
  }
  const databaseUrl = secret(raw['audit']?.database_url, 'audit.database_url');
  if (databaseUrl !== undefined) {
    out.auditDatabase = { url: databaseUrl, retentionDays: raw['audit']?.retention_days, batchSize: raw['audit']?.ship_batch_size ?? 1000, pollMs: duration(raw['audit']?.ship_interval, 1000, 'audit.ship_interval') };
  }
  const admin = secret(raw['admin']?.token, 'admin.token');
  if (admin !== undefined && admin.length < MIN_ADMIN_TOKEN) problems.push(where(`admin.token: the token must be at least ${MIN_ADMIN_TOKEN} characters`));
  else if (admin !== undefined) out.adminToken = admin;
  const metrics = secret(raw['metrics']?.token, 'metrics.token');
  if (metrics !== undefined) out.metricsToken = metrics;
  return out;
}
