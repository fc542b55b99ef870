import type { ReasonCode } from '../policy/reasons.ts';

interface CodeInfo {
  readonly status: number;
  /** How the audit record classifies the outcome. */
  readonly decision: 'deny' | 'error';
}

/**
 * Every error code the proxy answers with, its HTTP status and audit classification, in one place.
 * Codes are stable: clients, dashboards and audit queries key on them.
 */
export const DATAPLANE_CODES = {
  // Authentication (who is asking).
  auth_missing: { status: 401, decision: 'deny' },
  auth_invalid: { status: 401, decision: 'deny' },
  auth_insufficient_scope: { status: 403, decision: 'deny' },
  // Permission inheritance (may this user see the repository).
  repo_access_denied: { status: 403, decision: 'deny' },
  repo_read_forbidden: { status: 403, decision: 'deny' },
  // Policy (the bundle's decision).
  bundle_missing: { status: 403, decision: 'deny' },
  bundle_expired: { status: 403, decision: 'deny' },
  bundle_invalid: { status: 403, decision: 'deny' },
  repo_required: { status: 403, decision: 'deny' },
  repo_blocked: { status: 403, decision: 'deny' },
  repo_not_configured: { status: 403, decision: 'deny' },
  repo_disabled: { status: 403, decision: 'deny' },
  repo_config_invalid: { status: 403, decision: 'deny' },
  provider_not_allowed: { status: 403, decision: 'deny' },
  path_invalid: { status: 400, decision: 'deny' },
  file_excluded: { status: 403, decision: 'deny' },
  file_too_large: { status: 413, decision: 'deny' },
  // Requests.
  request_invalid: { status: 400, decision: 'deny' },
  file_not_found: { status: 404, decision: 'deny' },
  file_binary: { status: 415, decision: 'deny' },
  not_found: { status: 404, decision: 'deny' },
  method_not_allowed: { status: 405, decision: 'deny' },
  request_too_large: { status: 413, decision: 'deny' },
  model_unknown: { status: 400, decision: 'deny' },
  // Limits.
  rate_limited: { status: 429, decision: 'deny' },
  rate_limit_unavailable: { status: 503, decision: 'error' },
  // Failures.
  gitlab_unavailable: { status: 503, decision: 'error' },
  audit_unavailable: { status: 503, decision: 'error' },
  cache_unavailable: { status: 503, decision: 'error' },
  internal_error: { status: 500, decision: 'error' },
  // Upstream providers.
  provider_unconfigured: { status: 503, decision: 'error' },
  upstream_unavailable: { status: 502, decision: 'error' },
  upstream_timeout: { status: 504, decision: 'error' },
  upstream_interrupted: { status: 502, decision: 'error' },
  client_closed: { status: 499, decision: 'error' },
  // GitLab Duo (per-user gateway credentials from GitLab's direct_access API).
  duo_not_enabled: { status: 403, decision: 'deny' },
  duo_payment_required: { status: 402, decision: 'deny' },
  duo_rate_limited: { status: 429, decision: 'deny' },
  duo_unavailable: { status: 503, decision: 'error' },
  duo_model_unsupported: { status: 400, decision: 'deny' },
  duo_model_not_allowed: { status: 403, decision: 'deny' },
  duo_gateway_rejected: { status: 502, decision: 'error' },
} as const satisfies Record<string, CodeInfo> & Record<ReasonCode, CodeInfo>;

export type DataplaneCode = keyof typeof DATAPLANE_CODES;

/** An answer that ends the pipeline early: a denial or a failure, with a message a user can act on. */
export class DataplaneError extends Error {
  readonly code: DataplaneCode;
  readonly status: number;
  readonly decision: 'deny' | 'error';
  readonly retryAfter: number | undefined;

  constructor(code: DataplaneCode, message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DataplaneError';
    this.code = code;
    this.status = DATAPLANE_CODES[code].status;
    this.decision = DATAPLANE_CODES[code].decision;
    this.retryAfter = options.retryAfter;
  }
}
