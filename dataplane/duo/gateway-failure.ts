import { DuoError } from './duo-error.ts';

/**
 * What to do with a non-2xx gateway answer (before any byte went to the client):
 * - `refresh`: the credential was refused (401): invalidate it and retry once with a new one;
 * - `error`: answer the client with this DuoError in its own format;
 * - `pass`: the provider's own error (already in the client's format): forward it unchanged.
 */
export type GatewayFailure = { readonly action: 'refresh' } | { readonly action: 'error'; readonly error: DuoError } | { readonly action: 'pass' };

/** The gateway's own errors are `{"detail": "..."}` (FastAPI) or `{"error": "..."}` (its auth middleware). */
function gatewayDetail(bodyText: string): string | undefined {
  try {
    const json = JSON.parse(bodyText) as Record<string, unknown>;
    const value = typeof json['detail'] === 'string' ? json['detail'] : typeof json['error'] === 'string' ? json['error'] : undefined;
    return value?.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
  } catch {
    return undefined;
  }
}

/** `retried`: this answer came for a credential fetched after a 401, so a second 401 is final. */
export function classifyGatewayFailure(status: number, bodyText: string, retried: boolean): GatewayFailure {
  const detail = gatewayDetail(bodyText);
  const error = (code: ConstructorParameters<typeof DuoError>[0], message: string): GatewayFailure => ({ action: 'error', error: new DuoError(code, message) });
  if (status === 401) {
    if (!retried) return { action: 'refresh' };
    return error('duo_gateway_rejected', `the GitLab AI gateway refused a fresh credential${detail ? ` (${detail})` : ''}`);
  }
  // Billing: the gateway's 402 bodies vary in shape; the status says enough.
  if (status === 402) return error('duo_payment_required', 'GitLab Duo: no credits left for this request (GitLab credits are used up for your namespace)');
  if (detail === undefined) return { action: 'pass' };
  if (status === 400 && /unsupported model/i.test(detail)) return error('duo_model_unsupported', 'the GitLab AI gateway does not serve this model (Unsupported model)');
  if (status === 403 && /model allowlist/i.test(detail)) return error('duo_model_not_allowed', 'your GitLab namespace does not allow this model (namespace model allowlist)');
  if (status === 403 && /unauthorized to access/i.test(detail)) return error('duo_not_enabled', `GitLab Duo does not allow this user to use the model proxy (${detail})`);
  if (status === 400 || status === 404 || status === 403) return error('duo_gateway_rejected', `the GitLab AI gateway refused the request (${status}: ${detail})`);
  return { action: 'pass' };
}
