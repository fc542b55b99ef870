import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { createGitLabClient, type GitLabClient } from '../gitlab/gitlab-client.ts';
import { openProjectCache } from '../gitlab/project-cache.ts';
import { bundleRoutes } from '../publish/bundle-routes.ts';
import { openPublisher, type BundlePublisher } from '../publish/bundle-publisher.ts';
import { uploadBundlePackage } from '../publish/upload-package.ts';
import { createCompileEngine, type CompileEngine } from './compile-engine.ts';
import { openDeliveryDedupe, type DeliveryDedupe } from './delivery-dedupe.ts';
import { reportMergeRequest } from './mr-report.ts';
import { createPlanner } from './plan-event.ts';
import type { CompilerServiceConfig } from './service-config.ts';
import { serviceLog, type ServiceLog } from './service-log.ts';
import { webhookRoute } from './webhook-route.ts';
import { createWorkQueue, type Job, type WorkQueue } from './work-queue.ts';

const FULL_SYNC_RETRY_MS = 30_000;

export interface CompilerService {
  readonly url: string;
  readonly engine: CompileEngine;
  readonly queue: WorkQueue;
  readonly publisher: BundlePublisher;
  readonly dedupe: DeliveryDedupe;
  readonly client: GitLabClient;
  close(): Promise<void>;
}

/**
 * `aigate compiler serve`: webhook receiver, compile engine and bundle server in one process. On
 * start it queues a full sync; afterwards webhooks keep the bundle current, a periodic full sync
 * catches missed events, and a periodic re-sign keeps the expiry ahead even when nothing changes.
 */
export async function startCompilerService(config: CompilerServiceConfig, options: { log?: ServiceLog } = {}): Promise<CompilerService> {
  const log = options.log ?? serviceLog();
  const client = createGitLabClient({ url: config.gitlab.url, token: config.gitlab.token, timeoutMs: config.gitlab.timeoutMs });
  const publisher = await openPublisher(config.publish.dir, { keep: config.publish.keep });
  const cache = await openProjectCache(join(config.stateDir, 'projects.json'));
  const dedupe = await openDeliveryDedupe(join(config.stateDir, 'deliveries.json'), config.dedupeSize);
  const pkg = config.publish.package;
  const engine = createCompileEngine({
    client,
    cache,
    publisher,
    policy: config.policy,
    group: config.group,
    signers: config.signers,
    expiresInMs: config.expiresInMs,
    stateDir: config.stateDir,
    log,
    ...(pkg ? { afterPublish: async (b) => void (await uploadBundlePackage(client, pkg, b.text, b.serial)) } : {}),
  });
  let retry: NodeJS.Timeout | undefined;
  const queue = createWorkQueue(config.concurrency, (key, error) => {
    log.error('job failed', { job: key, code: (error as { code?: string }).code ?? 'publish_failed', message: error instanceof Error ? error.message : String(error) });
    // A failed full sync (GitLab down at start-up, an invalid org policy) is retried well before the hourly one.
    if (key === 'org' && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        queue.push(fullSync('retry after a failed full sync'));
      }, FULL_SYNC_RETRY_MS);
      retry.unref();
    }
  });
  const mr = config.mergeRequests;
  const planner = createPlanner({ engine, client, policyProject: config.policy.project, report: mr.enabled ? (id, iid) => reportMergeRequest({ client, engine, statusName: mr.statusName, log }, id, iid) : undefined });
  const fullSync = (reason: string): Job => ({ key: 'org', exclusive: true, run: () => engine.fullSync(reason) });

  const app = express();
  app.disable('x-powered-by');
  app.use(webhookRoute({ tokens: config.webhookTokens, dedupe, planner, queue, log }));
  app.use(bundleRoutes(publisher, config.publish.readerTokens));
  app.get('/health', (_req, res) => {
    const current = publisher.current();
    const status = engine.status();
    res.status(current ? 200 : 503).json({
      status: !current ? 'no_bundle' : status.lastError ? 'degraded' : 'healthy',
      bundle: current ? { serial: current.serial, etag: current.etag, published_at: new Date(current.publishedAt).toISOString() } : null,
      org_commit: status.orgCommit,
      projects: status.projects,
      last_sync: status.lastSync,
      last_error: status.lastError,
      queue: queue.size,
    });
  });

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  const timers = [
    setInterval(() => queue.push(fullSync('scheduled full sync')), config.fullSyncEveryMs),
    setInterval(() => queue.push({ key: 'resign', run: () => engine.rebuild('scheduled re-sign') }), config.resignEveryMs),
  ];
  for (const t of timers) t.unref();
  queue.push(fullSync('start-up'));
  log.info('compiler service listening', { url: `http://${host}:${port}`, bundle_serial: publisher.current()?.serial ?? null });

  return {
    url: `http://${host}:${port}`,
    engine,
    queue,
    publisher,
    dedupe,
    client,
    async close() {
      for (const t of timers) clearInterval(t);
      if (retry) clearTimeout(retry);
      queue.stop();
      publisher.close();
      // Let a running job finish (it may be writing the cache), but do not hang a shutdown on GitLab.
      await Promise.race([queue.idle(), new Promise((r) => setTimeout(r, 5000).unref())]);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await dedupe.flush();
      await engine.flush();
      await client.close();
    },
  };
}
