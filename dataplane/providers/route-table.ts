import type { ProviderId } from '../../policy/providers.ts';
import type { ErrorFormat } from '../pipeline/request-context.ts';

/** The wire API a route speaks: decides where file paths and contents sit in the body. */
export type WireApi = 'anthropic-messages' | 'anthropic-count-tokens' | 'openai-chat' | 'openai-responses' | 'models' | 'passthrough';

export interface ProviderRoute {
  readonly api: WireApi;
  /** Fixed by the path prefix; undefined = chosen by the body's model (plain /v1/... routes). */
  readonly provider: ProviderId | undefined;
  /** Path on the upstream, without the query (the client's query string is forwarded as is). */
  readonly upstreamPath: string;
  readonly errorFormat: ErrorFormat;
  readonly method: 'GET' | 'POST';
}

/** Provider prefixes that speak a provider API as aigate routes it. */
const PREFIXED: Readonly<Record<string, ProviderId>> = { anthropic: 'anthropic', openai: 'openai', 'gitlab-duo': 'gitlab-duo' };
/** JSON pass-through prefixes and the provider id the policy knows them by. */
const PASSTHROUGH: Readonly<Record<string, ProviderId>> = { copilot: 'github', codeium: 'codeium' };

const API_PATHS: Readonly<Record<string, { api: WireApi; format: ErrorFormat; method: 'GET' | 'POST' }>> = {
  '/v1/messages': { api: 'anthropic-messages', format: 'anthropic', method: 'POST' },
  '/v1/messages/count_tokens': { api: 'anthropic-count-tokens', format: 'anthropic', method: 'POST' },
  '/v1/chat/completions': { api: 'openai-chat', format: 'openai', method: 'POST' },
  '/v1/responses': { api: 'openai-responses', format: 'openai', method: 'POST' },
  '/v1/models': { api: 'models', format: 'openai', method: 'GET' },
};

/** Paths a client may HEAD without credentials (Claude Code pre-connects to its base URL). */
const BASES = new Set(['/', '/v1', '/anthropic', '/anthropic/v1', '/openai', '/openai/v1', '/gitlab-duo', '/gitlab-duo/v1', '/copilot', '/codeium']);

export function isBasePath(pathname: string): boolean {
  return BASES.has(pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname);
}

/** Maps a request path to its provider route, or undefined when it is not a provider route. */
export function matchProviderRoute(pathname: string): ProviderRoute | undefined {
  const plain = API_PATHS[pathname];
  if (plain) return { api: plain.api, provider: undefined, upstreamPath: pathname, errorFormat: plain.format, method: plain.method };
  const slash = pathname.indexOf('/', 1);
  if (slash < 0) return undefined;
  const prefix = pathname.slice(1, slash);
  const rest = pathname.slice(slash);
  const fixed = Object.hasOwn(PREFIXED, prefix) ? PREFIXED[prefix] : undefined;
  if (fixed) {
    const api = API_PATHS[rest];
    if (!api) return undefined;
    // Anthropic's model list answers in Anthropic's format, OpenAI's in OpenAI's.
    const format = api.api === 'models' && fixed === 'anthropic' ? 'anthropic' : api.format;
    return { api: api.api, provider: fixed, upstreamPath: rest, errorFormat: format, method: api.method };
  }
  const passthrough = Object.hasOwn(PASSTHROUGH, prefix) ? PASSTHROUGH[prefix] : undefined;
  // Pass-through routes take any sub-path; "/.." segments never reach the upstream's path.
  if (passthrough && rest.length > 1 && !/(^|\/)\.\.?(\/|$)/.test(rest) && !rest.includes('%')) {
    return { api: 'passthrough', provider: passthrough, upstreamPath: rest, errorFormat: 'openai', method: 'POST' };
  }
  return undefined;
}
