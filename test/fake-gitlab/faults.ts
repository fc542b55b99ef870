import { jsonReply, textReply, type Reply } from './reply.ts';

/** Failure modes a test can switch on; several may be combined (latency applies first). */
export interface FaultSpec {
  /** 429: `rack` = Rack::Attack (plain text, RateLimit-* headers); `app` = application limit (JSON). */
  rateLimit?: { style: 'rack' | 'app'; retryAfter: number };
  /** 502 with nginx's HTML body. */
  badGateway?: Record<string, never>;
  /** Delay before answering (or before failing). */
  latencyMs?: number;
  /** Destroy the socket without answering (connection reset). */
  down?: boolean;
  /** GraphQL answers the complexity error. */
  graphqlComplexity?: boolean;
  /** Only requests whose path (no query) matches. */
  paths?: RegExp;
  /** Only the next N affected requests, then the fault clears itself. */
  times?: number;
}

export interface FaultControl {
  set(spec: FaultSpec): void;
  clear(): void;
  readonly current: Readonly<FaultSpec> | undefined;
}

export interface Faults {
  readonly control: FaultControl;
  /** The fault for this request, if any (consumes one of `times`). */
  take(path: string, isGraphql: boolean): Readonly<FaultSpec> | undefined;
}

export function createFaults(): Faults {
  let active: { spec: FaultSpec; left: number } | undefined;
  return {
    control: {
      set(spec) {
        active = { spec: { ...spec }, left: spec.times ?? Infinity };
      },
      clear() {
        active = undefined;
      },
      get current() {
        return active?.spec;
      },
    },
    take(path, isGraphql) {
      if (!active) return undefined;
      const { spec } = active;
      if (spec.paths) {
        spec.paths.lastIndex = 0;
        if (!spec.paths.test(path)) return undefined;
      }
      const affects = spec.latencyMs !== undefined || spec.down || spec.badGateway || spec.rateLimit || (spec.graphqlComplexity && isGraphql);
      if (!affects) return undefined;
      if (--active.left <= 0) active = undefined;
      return spec;
    },
  };
}

const NGINX_502 = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export function badGatewayReply(): Reply {
  return textReply(502, NGINX_502, {}, 'text/html');
}

export function rateLimitReply(limit: NonNullable<FaultSpec['rateLimit']>, authenticated: boolean, now = Date.now()): Reply {
  const retryAfter = String(limit.retryAfter);
  if (limit.style === 'app') {
    return jsonReply(429, { message: { error: 'This endpoint has been requested too many times. Try again later.' } }, { 'Retry-After': retryAfter });
  }
  const reset = Math.ceil(now / 1000) + limit.retryAfter;
  return textReply(429, 'Retry later\n', {
    'RateLimit-Name': authenticated ? 'throttle_authenticated_api' : 'throttle_unauthenticated_api',
    // Rack::Attack reports the per-minute quota of the default 7200/3600 s (auth) or 3600/3600 s throttle.
    'RateLimit-Limit': authenticated ? '120' : '60',
    'RateLimit-Observed': authenticated ? '121' : '61',
    'RateLimit-Remaining': '0',
    'RateLimit-Reset': String(reset),
    'RateLimit-ResetTime': new Date(reset * 1000).toUTCString(),
    'Retry-After': retryAfter,
  });
}
