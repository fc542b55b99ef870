import type { ProviderId } from '../../policy/providers.ts';
import type { Journal } from '../audit/journal.ts';
import type { BundleStore } from '../bundle/bundle-store.ts';
import { DataplaneError } from '../codes.ts';
import type { DataplaneConfig } from '../config/dataplane-config.ts';
import type { GitLabIdentity } from '../gitlab/gitlab-identity.ts';
import type { RateLimitStore } from '../limits/rate-limit-store.ts';
import type { Logger } from '../log.ts';
import type { RequestContext } from '../pipeline/request-context.ts';
import { runPipeline, type Handler, type Stage } from '../pipeline/run-pipeline.ts';
import type { ProviderRoute } from '../providers/route-table.ts';
import type { Upstream } from '../providers/upstream.ts';
import { forwardHandler, listModelsHandler } from '../routes/provider-route.ts';
import { authenticate } from '../stages/authenticate.ts';
import { authorize } from '../stages/authorize.ts';
import { decidePolicy } from '../stages/decide-policy.ts';
import { chooseProvider, providerBody } from '../stages/provider-body.ts';
import { rateLimit } from '../stages/rate-limit.ts';
import { requireAudit } from '../stages/require-audit.ts';
import { resolveRepo } from '../stages/resolve-repo.ts';
import { scrubBody } from '../stages/scrub-body.ts';
import type { GitLabHealth } from './gitlab-health.ts';

export interface ProviderDeps {
  readonly config: DataplaneConfig;
  readonly store: BundleStore;
  readonly journal: Journal;
  readonly identity: GitLabIdentity;
  readonly health: GitLabHealth;
  readonly upstreams: ReadonlyMap<ProviderId, Upstream>;
  readonly limits: RateLimitStore;
  readonly log: Logger;
  readonly audit: (ctx: RequestContext) => void;
  /** Replaces the generic forward for a provider (GitLab Duo obtains a per-user credential first). */
  readonly handlers?: Partial<Record<ProviderId, (route: ProviderRoute) => Handler>>;
}

/**
 * The provider request path: authenticate → resolve repo → authorize → read body → pick provider →
 * decide → rate limit → redact (and withhold excluded tool results) → forward. Built once per route
 * shape and reused; the audit runs in runPipeline's finally for every request.
 */
export function providerDispatch(deps: ProviderDeps): (ctx: RequestContext, route: ProviderRoute) => Promise<void> {
  const cache = new Map<string, { stages: Stage[]; handler: Handler }>();
  const build = (route: ProviderRoute) => {
    const common: Stage[] = [requireAudit(deps.journal), authenticate(deps.identity, deps.health), resolveRepo(deps.identity, deps.health, { required: false }), authorize];
    if (route.api === 'models' && !route.provider) return { stages: [...common, decidePolicy(deps.store)], handler: listModelsHandler(deps.upstreams) };
    const stages = [
      ...common,
      providerBody(route, deps.config.proxy.maxBodyBytes),
      chooseProvider(route, deps.config.proxy.modelRoutes),
      decidePolicy(deps.store),
      rateLimit(deps.limits, deps.config.rateLimits.redisDown),
      scrubBody(route, deps.store),
    ];
    const generic = forwardHandler(route, deps.upstreams);
    // Built once per route: plain /v1/... routes learn their provider per request, from the model.
    const special = new Map(Object.entries(deps.handlers ?? {}).map(([provider, make]) => [provider, make(route)]));
    const handler: Handler = (ctx) => (special.get(ctx.provider ?? '') ?? generic)(ctx);
    return { stages, handler };
  };
  return async (ctx, route) => {
    ctx.errorFormat = route.errorFormat;
    if (ctx.req.method !== route.method) {
      return runPipeline(ctx, [() => new DataplaneError('method_not_allowed', `aigate: ${ctx.route} answers ${route.method}`)], async () => undefined, deps.audit, deps.log);
    }
    const key = `${route.api}|${route.provider ?? ''}|${route.upstreamPath}`;
    let built = cache.get(key);
    if (!built) {
      built = build(route);
      if (cache.size < 1024) cache.set(key, built);
    }
    return runPipeline(ctx, built.stages, built.handler, deps.audit, deps.log);
  };
}
