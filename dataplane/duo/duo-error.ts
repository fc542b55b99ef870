/**
 * Stable codes of GitLab Duo failures. The `duo_*` codes belong in dataplane/codes.ts (status and
 * audit decision listed in docs/gitlab-duo.md); `auth_invalid` and `auth_insufficient_scope` are
 * already there: a GitLab token that direct_access rejects is the same failure as anywhere else.
 */
export type DuoErrorCode =
  /** 403: GitLab says this user may not use Duo through direct access (no seat, flag off, admin disabled). */
  | 'duo_not_enabled'
  /** 402: the user's namespace is out of GitLab credits. */
  | 'duo_payment_required'
  /** 429: GitLab's direct_access limit (10 per 5 minutes per user) would be exceeded. */
  | 'duo_rate_limited'
  /** 503: GitLab or its AI gateway could not mint a credential (network, 5xx, unreadable answer). */
  | 'duo_unavailable'
  /** 400: the model cannot be routed to the gateway in the API the client speaks, or the gateway does not serve it. */
  | 'duo_model_unsupported'
  /** 403: the namespace's model allow-list (signed into the gateway token) excludes the model. */
  | 'duo_model_not_allowed'
  /** 502: the gateway refused what aigate sent even with a fresh credential (a configuration or version mismatch). */
  | 'duo_gateway_rejected'
  | 'auth_invalid'
  | 'auth_insufficient_scope';

/** A Duo failure with a message a user can act on. Never carries a token or a gateway credential. */
export class DuoError extends Error {
  readonly code: DuoErrorCode;
  /** Seconds to wait before trying again (duo_rate_limited). */
  readonly retryAfter: number | undefined;

  constructor(code: DuoErrorCode, message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DuoError';
    this.code = code;
    this.retryAfter = options.retryAfter;
  }
}
