import { providerOfModel, type DiscoveredModel } from './discover-models.ts';
import { DuoError } from './duo-error.ts';

/** The model name that means "whatever GitLab currently assigns to this user". */
export const DUO_MODEL = 'gitlab-duo';

/**
 * GitLab's client-side aliases (`@gitlab/gitlab-ai-provider` MODEL_MAPPINGS) → the gateway's model
 * names. The gateway only serves exact allow-listed ids, so an alias must be translated before it
 * is sent. `verified`: seen in public mappings or the gateway's models.yml snapshot; the others
 * follow the same naming and are corrected by configuration (`aliases`) if GitLab differs.
 */
export const DUO_ALIASES: Readonly<Record<string, { readonly model: string; readonly verified: boolean }>> = {
  'duo-chat-opus-4-6': { model: 'claude-opus-4-6', verified: true },
  'duo-chat-opus-4-5': { model: 'claude-opus-4-5-20251101', verified: true },
  'duo-chat-sonnet-4-6': { model: 'claude-sonnet-4-6', verified: false },
  'duo-chat-sonnet-4-5': { model: 'claude-sonnet-4-5-20250929', verified: true },
  'duo-chat-haiku-4-5': { model: 'claude-haiku-4-5-20251001', verified: true },
  // CLIProxyAPI's alias for a model GitLab never shipped; kept so its users' configs keep working.
  'duo-chat-haiku-4-6': { model: 'claude-haiku-4-5-20251001', verified: false },
  'duo-chat-gpt-5-1': { model: 'gpt-5.1-2025-11-13', verified: true },
  'duo-chat-gpt-5-mini': { model: 'gpt-5-mini-2025-08-07', verified: true },
  'duo-chat-gpt-5-codex': { model: 'gpt-5-codex', verified: true },
  'duo-chat-gpt-5-2': { model: 'gpt-5.2', verified: false },
  'duo-chat-gpt-5-2-codex': { model: 'gpt-5.2-codex', verified: false },
};

/** Used for `gitlab-duo` when GitLab's metadata names no model of the family the client speaks. */
export const DEFAULT_DUO_MODELS = { anthropic: 'claude-sonnet-4-5-20250929', openai: 'gpt-5.1-2025-11-13' } as const;

/** The client APIs the gateway proxies (same names as the provider route table's WireApi). */
export type DuoApi = 'anthropic-messages' | 'anthropic-count-tokens' | 'openai-chat' | 'openai-responses';

export interface DuoRouteOptions {
  /** Models discovered from this user's direct_access metadata, in GitLab's order. */
  readonly discovered?: readonly DiscoveredModel[];
  readonly defaults?: { readonly anthropic: string; readonly openai: string };
  /** Extra or corrected aliases from configuration; win over DUO_ALIASES. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** The client asked for `/v1/messages?beta=true` (the only query the gateway allows there). */
  readonly beta?: boolean;
}

export interface DuoRoute {
  readonly provider: 'anthropic' | 'openai';
  /** Path under the gateway base URL, query included where the gateway requires one. */
  readonly gatewayPath: string;
  /** The `model` to put in the body sent to the gateway. */
  readonly upstreamModel: string;
}

const familyOf = (api: DuoApi): 'anthropic' | 'openai' => (api.startsWith('anthropic') ? 'anthropic' : 'openai');

const PATHS: Readonly<Record<DuoApi, string>> = {
  'anthropic-messages': '/v1/proxy/anthropic/v1/messages',
  'anthropic-count-tokens': '/v1/proxy/anthropic/v1/messages/count_tokens?beta=true',
  'openai-chat': '/v1/proxy/openai/v1/chat/completions',
  'openai-responses': '/v1/proxy/openai/v1/responses',
};

/**
 * Where a request for `model` in API `api` goes on the gateway, and under which model name.
 * `gitlab-duo` (or no model) is the first discovered model of the client's API family, else the
 * configured default; a `(…)` suffix (a thinking-level hint some clients append) is dropped; an
 * alias is translated. A model of the other family is refused: aigate does not translate formats.
 */
export function duoRoute(model: string | undefined, api: DuoApi, options: DuoRouteOptions = {}): DuoRoute {
  const family = familyOf(api);
  const requested = (model ?? '').replace(/\([^)]*\)\s*$/, '').trim();
  const discovered = options.discovered ?? [];
  let upstream: string;
  let provider: 'anthropic' | 'openai' | undefined;
  if (requested === '' || requested.toLowerCase() === DUO_MODEL) {
    const assigned = discovered.find((m) => m.provider === family);
    upstream = assigned?.id ?? (options.defaults ?? DEFAULT_DUO_MODELS)[family];
    provider = family;
  } else {
    const key = requested.toLowerCase();
    const configured = Object.entries(options.aliases ?? {}).find(([alias]) => alias.toLowerCase() === key)?.[1];
    upstream = configured ?? (Object.hasOwn(DUO_ALIASES, key) ? (DUO_ALIASES[key] as { model: string }).model : requested);
    provider = providerOfModel(upstream) ?? discovered.find((m) => m.id.toLowerCase() === upstream.toLowerCase())?.provider;
  }
  if (provider === undefined) throw new DuoError('duo_model_unsupported', `GitLab Duo cannot route model "${requested}": not an Anthropic (claude…) or OpenAI (gpt…) model`);
  if (provider !== family) {
    const where = provider === 'anthropic' ? '/gitlab-duo/v1/messages (Anthropic Messages API)' : '/gitlab-duo/v1/chat/completions or /gitlab-duo/v1/responses (OpenAI API)';
    throw new DuoError('duo_model_unsupported', `model "${requested}" is served through ${where}`);
  }
  const beta = api === 'anthropic-messages' && options.beta === true ? '?beta=true' : '';
  return { provider, gatewayPath: `${PATHS[api]}${beta}`, upstreamModel: upstream };
}

/** Whether a model name on a plain `/v1/…` route means GitLab Duo: `gitlab-duo`, an alias, or a configured alias. */
export function isDuoModelName(model: string, aliases: Readonly<Record<string, string>> = {}): boolean {
  const key = model.replace(/\([^)]*\)\s*$/, '').trim().toLowerCase();
  return key === DUO_MODEL || Object.hasOwn(DUO_ALIASES, key) || Object.keys(aliases).some((alias) => alias.toLowerCase() === key);
}
