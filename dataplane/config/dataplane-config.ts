import type { ProviderId } from '../../policy/providers.ts';
import type { TrustedKey } from '../../policy/verify-bundle.ts';

/** Where bundles come from. `local` compiles an org policy in-process (unsigned, local trust). */
export type BundleSourceConfig =
  | { readonly kind: 'file'; readonly file: string; readonly pollMs: number; readonly trustedKeys: readonly TrustedKey[] }
  | { readonly kind: 'url'; readonly url: string; readonly pollMs: number; readonly trustedKeys: readonly TrustedKey[]; readonly authToken: string | undefined }
  | { readonly kind: 'local'; readonly orgPolicy: string; readonly aiconfigs: string | undefined; readonly pollMs: number };

/** The validated, resolved proxy configuration (schemas/dataplane-config.schema.json). */
export interface DataplaneConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  readonly gitlab: { readonly url: string; readonly timeoutMs: number; readonly caFile: string | undefined };
  readonly bundle: BundleSourceConfig;
  readonly stateDir: string;
  readonly audit: { readonly dir: string; readonly flushMs: number; readonly fsync: boolean };
  readonly cache: { readonly tokenTtlMs: number; readonly tokenNegativeTtlMs: number; readonly projectTtlMs: number };
  readonly context: { readonly maxFileSize: number };
  /** Configured upstreams; a provider missing here cannot be reached even if the policy allows it. */
  readonly providers: Readonly<Partial<Record<ProviderId, UpstreamConfig>>>;
  readonly proxy: { readonly maxBodyBytes: number; readonly modelRoutes: readonly ModelRoute[] };
  readonly rateLimits: { readonly store: 'memory' | 'redis'; readonly keyPrefix?: string; readonly redisDown: 'open' | 'closed' | 'strict-closed' };
  /** Shared Redis (rate limits, caches); the URL is a secret from the environment. */
  readonly redis?: { readonly url: string; readonly commandTimeoutMs: number };
  /** GitLab answer caches in Redis instead of memory. */
  readonly sharedCache?: { readonly prefix: string };
  /** Shipping the journal to PostgreSQL; undefined when no database is configured. */
  readonly auditDatabase?: { readonly url: string; readonly retentionDays: number | undefined; readonly batchSize: number; readonly pollMs: number };
  readonly adminToken?: string;
  readonly metricsToken?: string;
  /** GitLab Duo through the AI gateway; undefined when not configured. */
  readonly duo?: DuoConfig;
}

/** GitLab Duo settings (docs/gitlab-duo.md). The service account token is a secret from the environment. */
export interface DuoConfig {
  readonly mode: 'per-user' | 'service-account';
  readonly serviceAccountToken: string | undefined;
  readonly gatewayUrl: string | undefined;
  readonly defaultModels: { readonly anthropic: string; readonly openai: string } | undefined;
  readonly aliases: Readonly<Record<string, string>>;
  readonly models: readonly string[];
  readonly directAccess: { readonly limit: number; readonly windowMs: number; readonly refreshMarginMs: number; readonly timeoutMs: number };
  readonly connectTimeoutMs: number;
  readonly firstByteTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly connections: number;
}

/** One provider upstream. Keys are secrets resolved from the environment; never logged. */
export interface UpstreamConfig {
  readonly provider: ProviderId;
  readonly baseUrl: string;
  readonly keys: readonly string[];
  readonly auth: 'x-api-key' | 'bearer';
  readonly models: readonly string[];
  readonly connectTimeoutMs: number;
  readonly firstByteTimeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly connections: number;
}

/** A model name (exact or glob) and the provider that serves it, for plain /v1/... routes. */
export interface ModelRoute {
  readonly pattern: string;
  readonly provider: ProviderId;
}
