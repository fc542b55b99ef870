/**
 * Why a policy decision denied a request. Stable snake_case codes: the proxy returns them in error
 * bodies, audit records store them, and the dry-run prints them.
 */
export const REASON_CODES = [
  'bundle_missing',
  'bundle_expired',
  'bundle_invalid',
  'repo_required',
  'repo_blocked',
  'repo_not_configured',
  'repo_disabled',
  'repo_config_invalid',
  'provider_not_allowed',
  'path_invalid',
  'file_excluded',
  'file_too_large',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];
