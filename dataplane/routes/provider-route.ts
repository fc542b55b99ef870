import type { ProviderId } from '../../policy/providers.ts';
import { DataplaneError } from '../codes.ts';
import type { Handler } from '../pipeline/run-pipeline.ts';
import { send } from '../pipeline/send.ts';
import { forward, upstreamHeaders } from '../providers/forward.ts';
import type { ProviderRoute } from '../providers/route-table.ts';
import type { Upstream } from '../providers/upstream.ts';

/**
 * The last step of a provider route: the redacted body goes to the provider's upstream with the
 * provider's key (the user's GitLab token was stripped with every other credential header).
 */
export function forwardHandler(route: ProviderRoute, upstreams: ReadonlyMap<ProviderId, Upstream>): Handler {
  return async function forwardHandler(ctx) {
    const provider = ctx.provider;
    const upstream = provider ? upstreams.get(provider) : undefined;
    if (!provider || !upstream || upstream.config.keys.length === 0) {
      throw new DataplaneError('provider_unconfigured', `aigate: the policy allows ${provider ?? 'this provider'}, but this proxy has no upstream configured for it; ask your aigate operator`);
    }
    const body = ctx.body === undefined ? undefined : Buffer.from(JSON.stringify(ctx.body));
    const headers = upstreamHeaders(ctx.req.headers, body ? { 'content-type': 'application/json' } : {});
    await forward(ctx, upstream, { path: route.upstreamPath + ctx.url.search, method: route.method, headers, body });
  };
}

/**
 * GET /v1/models: only the models of providers this user may use for the scoped repository (or
 * org-wide when unscoped), in the format of the API the client speaks.
 */
export function listModelsHandler(upstreams: ReadonlyMap<ProviderId, Upstream>): Handler {
  return async function listModelsHandler(ctx) {
    const decision = ctx.decision;
    if (!decision?.allow) throw new DataplaneError('internal_error', 'aigate: models listed without a decision');
    const models = decision.providers.flatMap((provider) => (upstreams.get(provider)?.config.models ?? []).filter((m) => !/[*?[\]{}]/.test(m)).map((id) => ({ id, provider })));
    ctx.outcome = { decision: 'allow', reason: null, status: 200 };
    if (ctx.req.headers['anthropic-version'] !== undefined) {
      const data = models.map((m) => ({ type: 'model', id: m.id, display_name: m.id, created_at: '1970-01-01T00:00:00Z' }));
      return send(ctx, 200, { 'content-type': 'application/json' }, JSON.stringify({ data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null }));
    }
    const data = models.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.provider }));
    send(ctx, 200, { 'content-type': 'application/json' }, JSON.stringify({ object: 'list', data }));
  };
}
