import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { buildAuditRecord } from '../audit/build-record.ts';
import { openJournal, type Journal } from '../audit/journal.ts';
import { createBundleStore, type BundleStore } from '../bundle/bundle-store.ts';
import type { BundleSource } from '../bundle/file-source.ts';
import { fileBundleSource } from '../bundle/file-source.ts';
import { httpBundleSource } from '../bundle/http-source.ts';
import { localBundleSource, type LocalCompiler } from '../bundle/local-source.ts';
import { openSerialState } from '../bundle/serial-state.ts';
import { DataplaneError } from '../codes.ts';
import type { DataplaneConfig } from '../config/dataplane-config.ts';
import { createGitLabClient, type GitLabClient } from '../gitlab/gitlab-client.ts';
import { createGitLabIdentity, type GitLabIdentity } from '../gitlab/gitlab-identity.ts';
import { createLogger, type Logger } from '../log.ts';
import type { RequestContext } from '../pipeline/request-context.ts';
import { runPipeline } from '../pipeline/run-pipeline.ts';
import { sendError } from '../pipeline/send.ts';
import { contextHandler, contextParams } from '../routes/context-route.ts';
import { healthReport } from '../routes/health-route.ts';
import { authenticate } from '../stages/authenticate.ts';
import { authorize } from '../stages/authorize.ts';
import { decidePolicy } from '../stages/decide-policy.ts';
import { requireAudit } from '../stages/require-audit.ts';
import { resolveRepo } from '../stages/resolve-repo.ts';
import { gitlabHealth, type GitLabHealth } from './gitlab-health.ts';
import type { RateLimitStore } from '../limits/rate-limit-store.ts';
import { isBasePath, matchProviderRoute } from '../providers/route-table.ts';
import { createUpstream, type Upstream } from '../providers/upstream.ts';
import type { ProviderId } from '../../policy/providers.ts';
import { providerDispatch, type ProviderDeps } from './provider-dispatch.ts';
import { createDuoBackend } from '../routes/duo-route.ts';
import { createDataplaneMetrics, type DataplaneMetrics } from '../metrics/dataplane-metrics.ts';
import { createMetricsHandler } from '../metrics/metrics-handler.ts';
import { openScaleOut } from './scale-out.ts';

export interface DataplaneOptions {
  readonly config: DataplaneConfig;
  /** Compiles `--org-policy` in-process; the CLI passes the compiler's (dataplane never imports it). */
  readonly localCompiler?: LocalCompiler;
  readonly logger?: Logger;
  /** A shared rate-limit store (Redis); default: in memory for this instance. */
  readonly rateLimits?: RateLimitStore;
  /** Metrics shared with other parts of the process (the audit shipper attaches its lag). */
  readonly metrics?: DataplaneMetrics;
  /** Provider-specific handlers (GitLab Duo). */
  readonly handlers?: ProviderDeps['handlers'];
}

export interface Dataplane {
  readonly url: string;
  readonly store: BundleStore;
  readonly journal: Journal;
  readonly identity: GitLabIdentity;
  readonly gitlab: GitLabClient;
  readonly health: GitLabHealth;
  readonly metrics: DataplaneMetrics;
  close(): Promise<void>;
}

/** Starts the proxy: bundle source, GitLab client, audit journal, HTTP(S) server. */
export async function startDataplane(options: DataplaneOptions): Promise<Dataplane> {
  const { config } = options;
  const log = options.logger ?? createLogger();
  const journal = await openJournal({ dir: config.audit.dir, flushIntervalMs: config.audit.flushMs, fsync: config.audit.fsync });
  const gitlab = createGitLabClient(config.gitlab);
  const health = gitlabHealth(gitlab);
  const scale = openScaleOut(config, options.rateLimits);
  const identity = createGitLabIdentity(gitlab, { ...config.cache, ...(scale.identityCaches ? { caches: scale.identityCaches } : {}) });
  const store = createBundleStore({ trustedKeys: config.bundle.kind === 'local' ? [] : config.bundle.trustedKeys, serials: config.bundle.kind === 'local' ? undefined : await openSerialState(config.stateDir) });
  const source = bundleSource(config, store, options.localCompiler);
  await source.start();

  const metrics = options.metrics ?? createDataplaneMetrics();
  const shipper = scale.startShipper(store.current()?.payload.org.retention_days ?? null, log);
  metrics.attach({ bundle: () => store.status(), journal: () => journal.health(), caches: { gitlab: () => identity.stats }, ...(shipper ? { shipper } : {}) });
  const serveMetrics = createMetricsHandler(metrics, config.metricsToken ? { token: config.metricsToken } : {});
  const adminFlush = scale.adminHandler({ flush: () => (identity.flush(), 0) }, log);
  const audit = (ctx: RequestContext) => {
    const record = buildAuditRecord(ctx, store.current()?.serial ?? null);
    // A refused record is a bug in aigate (the record failed its own schema); say so loudly.
    if (!journal.append(record)) log.error('audit record refused by the journal', { request_id: ctx.id, route: ctx.route });
    metrics.observeRequest(record);
  };
  const contextStages = [requireAudit(journal), authenticate(identity, health), resolveRepo(identity, health, { required: true }), authorize, contextParams, decidePolicy(store)];
  const serveContext = contextHandler(gitlab, store, health, config.context.maxFileSize);
  const upstreams = new Map<ProviderId, Upstream>(Object.values(config.providers).map((u) => [u.provider, createUpstream(u)]));
  const limits = scale.limits;
  // The direct_access budget lives where the rate limits do (keys under duo:), so replicas sharing
  // Redis share it too.
  const duo = config.duo ? createDuoBackend(config.duo, config.gitlab.url, limits) : undefined;
  const handlers: ProviderDeps['handlers'] = { ...(duo ? { 'gitlab-duo': duo.handler } : {}), ...options.handlers };
  const dispatchProvider = providerDispatch({ config, store, journal, identity, health, upstreams, limits, log, audit, handlers });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://aigate.invalid');
    const route = url.pathname;
    if (route === '/metrics') return serveMetrics(req, res);
    if (route === '/admin/cache/flush' && adminFlush) return void adminFlush(req, res);
    if (route === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
      const report = healthReport(store, health, journal);
      res.writeHead(report.code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return void res.end(req.method === 'HEAD' ? undefined : JSON.stringify(report.body));
    }
    // Claude Code pre-connects with HEAD on its base URL, without credentials.
    if (req.method === 'HEAD' && isBasePath(route)) {
      res.writeHead(200, { 'content-length': 0 });
      return void res.end();
    }
    const ctx = newContext(req, res, url, route);
    if (route === '/api/context') {
      if (req.method !== 'GET') return runPipeline(ctx, [() => new DataplaneError('method_not_allowed', 'aigate: /api/context only answers GET')], async () => undefined, audit, log);
      return runPipeline(ctx, contextStages, serveContext, audit, log);
    }
    const providerRoute = matchProviderRoute(route);
    if (providerRoute) return dispatchProvider(ctx, providerRoute);
    sendError(ctx, new DataplaneError('not_found', `aigate: no route ${route}`));
    audit(ctx);
  };

  /** Stops everything but the server; the journal closes before the shipper's last catch-up. */
  const release = async () => {
    source.stop();
    health.stop();
    await journal.close();
    await gitlab.close();
    await Promise.all([...upstreams.values()].map((u) => u.close()));
    await duo?.close();
    await scale.close();
  };
  const server: Server = config.tls
    ? createHttpsServer({ cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) }, (req, res) => void handle(req, res))
    : createHttpServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.listen.port, config.listen.host, () => resolve());
    });
  } catch (error) {
    // Nothing may keep the process alive after a failed start (watchers, timers, the journal).
    await release();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${config.tls ? 'https' : 'http'}://${host}:${address.port}`;
  log.info('aigate listening', { url, bundle_source: config.bundle.kind, bundle_serial: store.current()?.serial ?? null });

  return {
    url,
    store,
    journal,
    identity,
    gitlab,
    health,
    metrics,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await release();
    },
  };
}

function bundleSource(config: DataplaneConfig, store: BundleStore, localCompiler: LocalCompiler | undefined): BundleSource {
  const b = config.bundle;
  if (b.kind === 'file') return fileBundleSource(b.file, store, b.pollMs);
  if (b.kind === 'url') return httpBundleSource(b.url, store, { pollMs: b.pollMs, authToken: b.authToken });
  if (!localCompiler) throw new Error('local bundle mode needs the compiler (start through "aigate serve")');
  return localBundleSource(b.orgPolicy, b.aiconfigs, localCompiler, store, b.pollMs);
}

function newContext(req: IncomingMessage, res: ServerResponse, url: URL, route: string): RequestContext {
  return {
    id: randomUUID(),
    time: new Date(),
    start: performance.now(),
    req,
    res,
    url,
    route: route.slice(0, 256),
    errorFormat: 'aigate',
    outcome: { decision: 'error', reason: 'internal_error', status: 500 },
    redactions: {},
    withheld: [],
    bytesIn: 0,
    bytesOut: 0,
    upstreamStatus: null,
    keyIndex: null,
    ttfb: null,
    upstreamMs: null,
    gitlabMs: 0,
    unscoped: false,
  };
}

