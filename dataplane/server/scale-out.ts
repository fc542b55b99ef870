import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TtlCache } from '../cache/ttl-cache.ts';
import { startShipperThread } from '../audit-db/shipper-thread.ts';
import type { Shipper } from '../audit-db/shipper.ts';
import type { DataplaneConfig } from '../config/dataplane-config.ts';
import type { GitLabProject, GitLabResult, GitLabUser } from '../gitlab/gitlab-types.ts';
import { createMemoryRateLimitStore } from '../limits/memory-store.ts';
import type { RateLimitStore } from '../limits/rate-limit-store.ts';
import { createRedisRateLimitStore } from '../limits/redis-store.ts';
import type { Logger } from '../log.ts';
import { createCacheFlushHandler, type Flushable } from '../shared-cache/cache-flush-handler.ts';
import { createRedisSharedCache } from '../shared-cache/redis-shared-cache.ts';
import { createSharedTtlCache } from '../shared-cache/shared-ttl-cache.ts';

export interface IdentityCaches {
  readonly users: TtlCache<GitLabResult<GitLabUser>>;
  readonly projects: TtlCache<GitLabResult<GitLabProject>>;
}

export interface ScaleOut {
  readonly limits: RateLimitStore;
  /** Redis-backed identity caches, or undefined for this process's own memory. */
  readonly identityCaches: IdentityCaches | undefined;
  /** Starts the shipper once the journal exists (undefined without audit.database_url). */
  startShipper(retentionDays: number | null, log: Logger): Shipper | undefined;
  /** POST /admin/cache/flush, when admin.token is set. */
  adminHandler(memory: Flushable, log: Logger): ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;
  close(): Promise<void>;
}

/**
 * What several replicas share (ARCHITECTURE §7): rate limits and GitLab answers in Redis, audit
 * records in PostgreSQL through the shipper. With none configured, everything stays in this
 * process and the journal, as on a single machine.
 */
export function openScaleOut(config: DataplaneConfig, injected: RateLimitStore | undefined): ScaleOut {
  const redis = config.redis;
  const limits = injected ?? (config.rateLimits.store === 'redis' && redis ? createRedisRateLimitStore({ url: redis.url, commandTimeoutMs: redis.commandTimeoutMs, ...(config.rateLimits.keyPrefix ? { keyPrefix: config.rateLimits.keyPrefix } : {}) }) : createMemoryRateLimitStore());
  const shared = config.sharedCache && redis ? createRedisSharedCache({ url: redis.url, keyPrefix: config.sharedCache.prefix, commandTimeoutMs: redis.commandTimeoutMs }) : undefined;
  const identityCaches = shared ? { users: createSharedTtlCache<GitLabResult<GitLabUser>>(shared, 'token:'), projects: createSharedTtlCache<GitLabResult<GitLabProject>>(shared, 'project:') } : undefined;
  let shipper: Shipper | undefined;
  return {
    limits,
    identityCaches,
    startShipper(retentionDays, log) {
      const db = config.auditDatabase;
      if (!db) return undefined;
      shipper = startShipperThread({ journalDir: config.audit.dir, databaseUrl: db.url, batchSize: db.batchSize, pollMs: db.pollMs, retentionDays: db.retentionDays ?? retentionDays, log });
      return shipper;
    },
    adminHandler(memory, log) {
      if (!config.adminToken) return undefined;
      return createCacheFlushHandler({ caches: { identity: shared ?? memory }, adminToken: config.adminToken, log });
    },
    async close() {
      if (shipper) {
        await shipper.caughtUp(2000);
        await shipper.stop();
      }
      await limits.close();
      await shared?.close();
    },
  };
}
