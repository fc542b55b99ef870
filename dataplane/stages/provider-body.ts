import picomatch from 'picomatch';
import type { ProviderId } from '../../policy/providers.ts';
import { DataplaneError } from '../codes.ts';
import type { ModelRoute } from '../config/dataplane-config.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';
import { parseJsonObject, readBody } from '../providers/read-body.ts';
import type { ProviderRoute, WireApi } from '../providers/route-table.ts';

/** Which wire APIs each provider speaks (a model routed to a provider that cannot answer this API is an error, not a guess). */
const SPEAKS: Readonly<Record<ProviderId, readonly WireApi[]>> = {
  anthropic: ['anthropic-messages', 'anthropic-count-tokens', 'models'],
  openai: ['openai-chat', 'openai-responses', 'models'],
  'gitlab-duo': ['anthropic-messages', 'openai-chat', 'openai-responses', 'models'],
  github: ['passthrough'],
  codeium: ['passthrough'],
};

/** Reads the JSON body (within the size limit) and notes the model and whether it streams. */
export function providerBody(route: ProviderRoute, maxBodyBytes: number): Stage {
  return async function providerBody(ctx) {
    if (route.method !== 'POST') return undefined;
    const raw = await readBody(ctx.req, maxBodyBytes);
    ctx.bytesIn = raw.length;
    const body = parseJsonObject(raw);
    ctx.body = body;
    if (typeof body['model'] === 'string') ctx.model = body['model'];
    ctx.stream = body['stream'] === true;
    return undefined;
  };
}

/**
 * Picks the provider: fixed by the path prefix, or for plain /v1/... routes by the body's model
 * (the configured model routes), falling back to the provider whose API the path is.
 */
export function chooseProvider(route: ProviderRoute, modelRoutes: readonly ModelRoute[]): Stage {
  const matchers = modelRoutes.map((r) => ({ provider: r.provider, test: picomatch(r.pattern, { nocase: true }) }));
  return function chooseProvider(ctx) {
    if (route.provider) {
      ctx.provider = route.provider;
      return undefined;
    }
    if (route.api === 'models') return undefined;
    const model = ctx.model;
    const byModel = model === undefined ? undefined : matchers.find((m) => m.test(model))?.provider;
    const byApi: ProviderId = route.api === 'anthropic-messages' || route.api === 'anthropic-count-tokens' ? 'anthropic' : 'openai';
    const provider = byModel ?? byApi;
    if (!SPEAKS[provider].includes(route.api)) {
      return new DataplaneError('model_unknown', `aigate: model "${model ?? ''}" is served by ${provider}, which does not speak ${route.upstreamPath}; use that provider's API or its /${provider}/ route`);
    }
    ctx.provider = provider;
    return undefined;
  };
}
