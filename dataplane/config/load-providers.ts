import { PROVIDER_IDS, type ProviderId } from '../../policy/providers.ts';
import { parseSize } from '../../policy/size.ts';
import { DEFAULT_DUO_MODELS } from '../duo/duo-models.ts';
import type { ConfigReader } from './config-reader.ts';
import type { DataplaneConfig, DuoConfig, ModelRoute, UpstreamConfig } from './dataplane-config.ts';

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
export function loadProviders(raw: Raw, read: ConfigReader): Pick<DataplaneConfig, 'providers' | 'proxy' | 'rateLimits' | 'duo'> {
  const { duration, problems, where } = read;
  const providers: Partial<Record<ProviderId, UpstreamConfig>> = {};
  for (const provider of PROVIDER_IDS) {
    const up = (raw['providers'] ?? {})[provider] as Raw | undefined;
    if (!up || provider === 'gitlab-duo') continue;
    const keys = (up['api_keys'] as { env: string }[]).flatMap((ref, i) => read.secret(ref, `providers.${provider}.api_keys[${i}]`) ?? []);
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
  const duoRaw = (raw['providers'] ?? {})['gitlab-duo'] as Raw | undefined;
  const duo = duoRaw ? loadDuo(duoRaw, read) : undefined;
  const duoRoutes: ModelRoute[] = duo ? [{ pattern: 'gitlab-duo', provider: 'gitlab-duo' }, { pattern: 'duo-*', provider: 'gitlab-duo' }, ...[...duo.models, ...Object.keys(duo.aliases)].map((pattern) => ({ pattern, provider: 'gitlab-duo' as const }))] : [];
  return {
    ...(duo ? { duo } : {}),
    providers,
    proxy: { maxBodyBytes: maxBody ?? 20_000_000, modelRoutes: [...explicit, ...listed, ...duoRoutes, ...DEFAULT_MODEL_ROUTES] },
    rateLimits: { store: raw['rate_limits']?.store ?? 'memory', ...(raw['rate_limits']?.key_prefix ? { keyPrefix: raw['rate_limits'].key_prefix } : {}), redisDown: raw['rate_limits']?.redis_down ?? 'strict-closed' },
  };
}

function loadDuo(raw: Raw, read: ConfigReader): DuoConfig {
  const { duration, problems, where } = read;
  const mode = raw['mode'] ?? 'per-user';
  let serviceAccountToken: string | undefined;
  if (mode === 'service-account') {
    const ref = raw['service_account_token'] as { env: string } | undefined;
    if (!ref) problems.push(where('providers.gitlab-duo.service_account_token is required with mode service-account'));
    else serviceAccountToken = read.secret(ref, 'providers.gitlab-duo.service_account_token');
  }
  const da = (raw['direct_access'] ?? {}) as Raw;
  const defaults = raw['default_models'] as { anthropic?: string; openai?: string } | undefined;
  return {
    mode,
    serviceAccountToken,
    gatewayUrl: raw['gateway_url'],
    defaultModels: defaults ? { anthropic: defaults.anthropic ?? DEFAULT_DUO_MODELS.anthropic, openai: defaults.openai ?? DEFAULT_DUO_MODELS.openai } : undefined,
    aliases: raw['aliases'] ?? {},
    models: raw['models'] ?? [],
    directAccess: {
      limit: da['limit'] ?? 10,
      windowMs: duration(da['window'], 300_000, 'providers.gitlab-duo.direct_access.window'),
      refreshMarginMs: duration(da['refresh_margin'], 60_000, 'providers.gitlab-duo.direct_access.refresh_margin'),
      timeoutMs: duration(da['timeout'], 10_000, 'providers.gitlab-duo.direct_access.timeout'),
    },
    connectTimeoutMs: duration(raw['connect_timeout'], 10_000, 'providers.gitlab-duo.connect_timeout'),
    firstByteTimeoutMs: duration(raw['first_byte_timeout'], 120_000, 'providers.gitlab-duo.first_byte_timeout'),
    idleTimeoutMs: duration(raw['idle_timeout'], 300_000, 'providers.gitlab-duo.idle_timeout'),
    connections: raw['connections'] ?? 64,
  };
}
