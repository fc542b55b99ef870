import type { Flavour, RouteName } from './types.ts';

export interface ResolvedRoute {
  route: RouteName;
  flavour: Flavour;
}

const POST_ROUTES: Readonly<Record<string, ResolvedRoute>> = {
  '/v1/messages': { route: 'anthropic.messages', flavour: 'anthropic' },
  '/v1/messages/count_tokens': { route: 'anthropic.count_tokens', flavour: 'anthropic' },
  '/v1/chat/completions': { route: 'openai.chat', flavour: 'openai' },
  '/v1/responses': { route: 'openai.responses', flavour: 'openai' },
};

/**
 * Both providers serve `GET /v1/models`; the Anthropic SDK always sends `anthropic-version`, the
 * OpenAI SDK never does, so that header picks the format. Any other POST is the JSON echo that
 * stands in for Copilot- and Codeium-style upstreams.
 */
export function resolveRoute(method: string, path: string, headers: Readonly<Record<string, string>>): ResolvedRoute {
  const anthropicish = headers['anthropic-version'] !== undefined;
  if (method === 'POST') return POST_ROUTES[path] ?? { route: 'echo', flavour: 'echo' };
  if (method === 'PUT' || method === 'PATCH') return { route: 'echo', flavour: 'echo' };
  if (method === 'GET' && path === '/v1/models') return anthropicish ? { route: 'anthropic.models', flavour: 'anthropic' } : { route: 'openai.models', flavour: 'openai' };
  return { route: 'not_found', flavour: anthropicish || path.startsWith('/v1/messages') ? 'anthropic' : 'openai' };
}

export interface PresentedKey {
  key: string | undefined;
  scheme: 'x-api-key' | 'bearer' | undefined;
}

/** `x-api-key` first (Claude Code, opencode), then `Authorization: Bearer` (SDK 1.x, OpenAI clients). */
export function presentedKey(headers: Readonly<Record<string, string>>, allowApiKeyHeader: boolean): PresentedKey {
  const apiKey = headers['x-api-key'];
  if (allowApiKeyHeader && apiKey) return { key: apiKey, scheme: 'x-api-key' };
  const match = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '');
  if (match?.[1]) return { key: match[1].trim(), scheme: 'bearer' };
  return { key: undefined, scheme: undefined };
}
