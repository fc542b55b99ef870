import { parseDuration } from '../../policy/duration.ts';
import { PROVIDER_IDS, type ProviderId } from '../../policy/providers.ts';
import { parseSize } from '../../policy/size.ts';
import type { DataplaneConfig, ModelRoute, UpstreamConfig } from './dataplane-config.ts';

type Raw = Record<string, any>;

/** Defaults for a provider's model globs when the config names none (plain /v1/... routing). */
const DEFAULT_MODEL_ROUTES: readonly ModelRoute[] = [
  { pattern: 'claude-*', provider: 'anthropic' },
  { pattern: 'gpt-*', provider: 'openai' },
  { pattern: 'o[0-9]*', provider: 'openai' },
  { pattern: 'codex-*', provider: 'openai' },
];

/**
 * The provider part of the proxy configuration: upstreams with their keys (from the environment
 * variables the file names; a missing variable is a problem naming the variable, never a value),
 * timeouts, the body limit and the model → provider routes.
 */
export function loadProviders(raw: Raw, env: Readonly<Record<string, string | undefined>>, problems: string[], where: (key: string) => string): Pick<DataplaneConfig, 'providers' | 'proxy' | 'rateLimits'> {
  const duration = (value: unknown, fallback: number, key: string) => {
    if (value === undefined) return fallback;
    const ms = parseDuration(value as string | number);
    if (ms === undefined) problems.push(where(`${key} is not a duration (write 500ms, 30s, 5m)`));
    return ms ?? fallback;
  };
  const providers: Partial<Record<ProviderId, UpstreamConfig>> = {};
  for (const provider of PROVIDER_IDS) {
    const up = (raw['providers'] ?? {})[provider] as Raw | undefined;
    if (!up) continue;
    const keys: string[] = [];
    (up['api_keys'] as { env: string }[]).forEach((ref, i) => {
      const value = env[ref.env];
      if (value) keys.push(value);
      else problems.push(where(`providers.${provider}.api_keys[${i}]: environment variable ${ref.env} is not set`));
    });
    providers[provider] = {
      provider,
      baseUrl: String(up['base_url']).replace(/\/+$/, ''),
      keys,
      auth: up['auth'] ?? (provider === 'anthropic' ? 'x-api-key' : 'bearer'),
      models: up['models'] ?? [],
      connectTimeoutMs: duration(up['connect_timeout'], 10_000, `providers.${provider}.connect_timeout`),
      firstByteTimeoutMs: duration(up['first_byte_timeout'], 120_000, `providers.${provider}.first_byte_timeout`),
      idleTimeoutMs: duration(up['idle_timeout'], 300_000, `providers.${provider}.idle_timeout`),
      connections: up['connections'] ?? 64,
    };
  }
  const maxBody = raw['proxy']?.max_body_size === undefined ? 20_000_000 : parseSize(raw['proxy'].max_body_size);
  if (maxBody === undefined) problems.push(where('proxy.max_body_size is not a size (write 20mb)'));
  const explicit = Object.entries((raw['proxy']?.model_routes ?? {}) as Record<string, ProviderId>).map(([pattern, provider]) => ({ pattern, provider }));
  const listed = Object.values(providers).flatMap((u) => u.models.map((pattern) => ({ pattern, provider: u.provider })));
  return {
    providers,
    proxy: { maxBodyBytes: maxBody ?? 20_000_000, modelRoutes: [...explicit, ...listed, ...DEFAULT_MODEL_ROUTES] },
    rateLimits: { store: raw['rate_limits']?.store ?? 'memory', redisDown: raw['rate_limits']?.redis_down ?? 'strict-closed' },
  };
}
