import { Agent, type Dispatcher } from 'undici';
import { DataplaneError } from '../codes.ts';
import type { DuoConfig } from '../config/dataplane-config.ts';
import { createDuoCredentials, type DuoCredentials } from '../duo/duo-credentials.ts';
import { DuoError } from '../duo/duo-error.ts';
import { createDuoModelRegistry, type DuoModelRegistry } from '../duo/duo-model-registry.ts';
import type { DuoApi } from '../duo/duo-models.ts';
import { prepareDuoUpstream } from '../duo/duo-upstream.ts';
import { classifyGatewayFailure } from '../duo/gateway-failure.ts';
import type { RateLimitStore } from '../limits/rate-limit-store.ts';
import type { Handler } from '../pipeline/run-pipeline.ts';
import { send } from '../pipeline/send.ts';
import { streamResponse, upstreamError } from '../providers/forward.ts';
import type { ProviderRoute } from '../providers/route-table.ts';

export interface DuoBackend {
  readonly credentials: DuoCredentials;
  readonly registry: DuoModelRegistry;
  handler(route: ProviderRoute): Handler;
  close(): Promise<void>;
}

const asDataplane = (error: DuoError) => new DataplaneError(error.code, error.message, error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter });

/**
 * GitLab Duo as a provider: the (already authorised, redacted) request goes to GitLab's AI gateway
 * with a short-lived credential GitLab issued for *this* user (or the service account), never the
 * user's GitLab token. A gateway 401 refreshes the credential once; GitLab's refusals become
 * duo_* errors in the client's format.
 */
export function createDuoBackend(config: DuoConfig, gitlabUrl: string, budgetStore: RateLimitStore | undefined): DuoBackend {
  const dispatcher = new Agent({ connections: config.connections, connect: { timeout: config.connectTimeoutMs }, keepAliveTimeout: 30_000 });
  const credentials = createDuoCredentials({
    gitlabUrl,
    mode: config.mode === 'service-account' && config.serviceAccountToken ? { serviceAccountToken: config.serviceAccountToken } : 'per-user',
    ...(config.gatewayUrl ? { gatewayUrl: config.gatewayUrl } : {}),
    timeoutMs: config.directAccess.timeoutMs,
    budget: { limit: config.directAccess.limit, windowMs: config.directAccess.windowMs },
    refreshMarginMs: config.directAccess.refreshMarginMs,
    ...(budgetStore ? { budgetStore } : {}),
  });
  const registry = createDuoModelRegistry({ aliases: config.aliases, configured: config.models });

  const handler = (route: ProviderRoute): Handler =>
    async function duoHandler(ctx) {
      if (!ctx.user || !ctx.token) throw new DataplaneError('internal_error', 'aigate: Duo request without a user');
      if (route.api === 'models') {
        // Only what this user's cached credential revealed: listing never calls GitLab.
        const entries = registry.list(credentials.peek(ctx.user.id, ctx.token)?.models ?? []);
        ctx.outcome = { decision: 'allow', reason: null, status: 200 };
        return send(ctx, 200, { 'content-type': 'application/json' }, JSON.stringify({ object: 'list', data: entries.map((m) => ({ id: m.id, object: 'model', created: 0, owned_by: m.owned_by })) }));
      }
      if (route.api === 'passthrough') throw new DataplaneError('model_unknown', 'aigate: GitLab Duo serves the Messages, Chat Completions and Responses APIs only');
      let retried = false;
      for (;;) {
        let prepared;
        try {
          prepared = await prepareDuoUpstream(
            { credentials, registry, aliases: config.aliases, ...(config.defaultModels ? { defaults: config.defaultModels } : {}) },
            { userId: ctx.user.id, gitlabToken: ctx.token, api: route.api as DuoApi, body: ctx.body ?? {}, incoming: ctx.req.headers, beta: ctx.url.searchParams.get('beta') === 'true' },
          );
        } catch (error) {
          throw error instanceof DuoError ? asDataplane(error) : error;
        }
        ctx.model = prepared.route.upstreamModel;
        const started = performance.now();
        let response: Dispatcher.ResponseData;
        try {
          response = await dispatcher.request({ origin: new URL(prepared.url).origin, path: new URL(prepared.url).pathname + new URL(prepared.url).search, method: 'POST', headers: prepared.headers, body: prepared.body, headersTimeout: config.firstByteTimeoutMs, bodyTimeout: config.idleTimeoutMs });
        } catch (error) {
          throw upstreamError(error, ctx.res.destroyed);
        }
        ctx.upstreamMs = performance.now() - started;
        ctx.upstreamStatus = response.statusCode;
        if (response.statusCode >= 400) {
          const text = await response.body.text();
          const failure = classifyGatewayFailure(response.statusCode, text, retried);
          if (failure.action === 'refresh') {
            credentials.invalidate(ctx.user.id, ctx.token, prepared.credential);
            retried = true;
            continue;
          }
          if (failure.action === 'error') throw asDataplane(failure.error);
          ctx.outcome = { decision: 'allow', reason: null, status: response.statusCode };
          return send(ctx, response.statusCode, { 'content-type': String(response.headers['content-type'] ?? 'application/json') }, text);
        }
        return streamResponse(ctx, response);
      }
    };
  return {
    credentials,
    registry,
    handler,
    async close() {
      await credentials.close();
      await dispatcher.close();
    },
  };
}
