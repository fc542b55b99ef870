import type { DirectAccessEndpoint, DirectAccessPayload } from './direct-access.ts';
import { discoverModels, type DiscoveredModel } from './discover-models.ts';
import { normalizeGatewayUrl } from './gateway-url.ts';

/**
 * A short-lived AI-gateway credential of one GitLab user. `token` is not enumerable, so a
 * credential that ends up in a log line, an audit field or a snapshot shows everything but it.
 */
export interface DuoCredential {
  readonly token: string;
  /** Epoch ms after which the gateway refuses the token. */
  readonly expiresAt: number;
  /** Headers GitLab said must be proxied to the gateway (lower-cased, cleaned; no credentials). */
  readonly headers: Readonly<Record<string, string>>;
  /** Gateway root to append `/v1/proxy/…` to. */
  readonly gatewayUrl: string;
  readonly source: DirectAccessEndpoint;
  readonly models: readonly DiscoveredModel[];
  /** Epoch ms when GitLab issued it (for the audit and /health, not for decisions). */
  readonly obtainedAt: number;
}

/** Never taken from GitLab's header map: credentials, and what the HTTP client owns. */
const DROPPED = new Set(['authorization', 'x-api-key', 'proxy-authorization', 'cookie', 'private-token', 'job-token', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect']);

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
/** GitLab sends about ten short headers; far more, or huge values, is not an answer to pass on. */
const MAX_HEADERS = 64;
const MAX_VALUE = 4096;

/**
 * GitLab's returned headers, safe to send: names lower-cased and valid, values without control
 * characters (a CR/LF in a value would let a compromised answer inject headers), credentials dropped
 * (some GitLab versions return an `Authorization` that must not replace the gateway token).
 */
export function cleanReturnedHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers).slice(0, MAX_HEADERS)) {
    const key = name.toLowerCase();
    if (!TOKEN.test(key) || DROPPED.has(key) || value.length > MAX_VALUE || /[\0-\x08\x0a-\x1f\x7f]/.test(value)) continue;
    out[key] = value;
  }
  return out;
}

export interface BuildOptions {
  readonly now: number;
  /** Configured gateway URL; wins over GitLab's `base_url`. */
  readonly gatewayUrl: string | undefined;
  readonly defaultGatewayUrl: string;
  /** Lifetime assumed when GitLab sends no `expires_at`. */
  readonly defaultLifetimeMs: number;
}

export function buildCredential(payload: DirectAccessPayload, source: DirectAccessEndpoint, options: BuildOptions): DuoCredential {
  let gatewayUrl = options.gatewayUrl ?? options.defaultGatewayUrl;
  if (options.gatewayUrl === undefined && payload.baseUrl !== null) {
    try {
      gatewayUrl = normalizeGatewayUrl(payload.baseUrl);
    } catch {
      // A base_url that is not http(s) is ignored, never followed.
    }
  }
  const credential = {
    expiresAt: payload.expiresAt ?? options.now + options.defaultLifetimeMs,
    headers: cleanReturnedHeaders(payload.headers),
    gatewayUrl,
    source,
    models: discoverModels(payload.metadata),
    obtainedAt: options.now,
  };
  return Object.defineProperty(credential, 'token', { value: payload.token, enumerable: false, writable: false }) as typeof credential & { readonly token: string };
}
