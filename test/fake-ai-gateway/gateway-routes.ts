/** What the gateway's proxy clients accept (ai_gateway/proxy/clients/*.py; models.yml snapshot in gitlab-duo.md). */

export type GatewayProvider = 'anthropic' | 'openai';

/** Matched against the upstream path *with* its query, as the gateway does (`?beta=false` is a 404). */
export const ALLOWED_PATHS: Readonly<Record<GatewayProvider, readonly string[]>> = {
  anthropic: ['/v1/messages', '/v1/messages?beta=true', '/v1/messages/count_tokens?beta=true'],
  openai: ['/v1/chat/completions', '/v1/embeddings', '/v1/models', '/v1/responses'],
};

/** Request headers the gateway passes upstream; everything else the client sent stops here. */
export const HEADERS_TO_UPSTREAM: Readonly<Record<GatewayProvider, readonly string[]>> = {
  anthropic: ['accept', 'content-type', 'anthropic-version'],
  openai: ['accept', 'content-type', 'user-agent'],
};

export const DEFAULT_PROXY_MODELS: Readonly<Record<GatewayProvider, readonly string[]>> = {
  anthropic: ['claude-opus-4-5-20251101', 'claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001', 'claude-sonnet-4-20250514', 'claude-3-7-sonnet-20250219'],
  openai: ['gpt-5.1-2025-11-13', 'gpt-5-mini-2025-08-07', 'gpt-5-codex', 'gpt-5', 'gpt-5.1', 'gpt-5.1-codex'],
};

/** The fake's model ref for an upstream model (`claude-sonnet-4-5-20250929` → `claude_sonnet_4_5_20250929`). */
export function modelRef(model: string): string {
  return model.replace(/[-.]/g, '_');
}

/** `/v1/proxy/<provider><upstream path>` → provider and upstream path (query kept). */
export function splitProxyPath(pathWithQuery: string): { provider: GatewayProvider; upstream: string } | undefined {
  const m = /^\/v1\/proxy\/(anthropic|openai)(\/.*)$/.exec(pathWithQuery);
  return m ? { provider: m[1] as GatewayProvider, upstream: m[2] as string } : undefined;
}
