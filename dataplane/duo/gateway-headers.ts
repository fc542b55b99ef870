import type { IncomingHttpHeaders } from 'node:http';
import type { DuoCredential } from './duo-credential.ts';

/**
 * Client headers the gateway passes to each provider (its ALLOWED_HEADERS_TO_UPSTREAM, plus
 * `anthropic-beta`, which newer gateways allow). Everything else the client sent stays here — in
 * particular its `authorization` / `x-api-key`, which carry the user's GitLab token.
 */
const FROM_CLIENT: Readonly<Record<'anthropic' | 'openai', readonly string[]>> = {
  anthropic: ['accept', 'content-type', 'anthropic-version', 'anthropic-beta'],
  openai: ['accept', 'content-type', 'user-agent'],
};

export const UNIT_PRIMITIVE = 'ai_gateway_model_provider_proxy';

/**
 * The request headers for the gateway: the allowed client headers, then the headers GitLab returned
 * with the credential (they identify user, realm and instance, and must match the token's claims),
 * the unit primitive and OIDC type when GitLab left them out (code_suggestions does), and the
 * gateway token as Bearer, which nothing before it can override.
 */
export function gatewayHeaders(credential: DuoCredential, incoming: IncomingHttpHeaders, provider: 'anthropic' | 'openai'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FROM_CLIENT[provider]) {
    const value = incoming[name];
    if (typeof value === 'string') out[name] = value;
    else if (Array.isArray(value)) out[name] = value.join(', ');
  }
  Object.assign(out, credential.headers);
  out['x-gitlab-unit-primitive'] ??= UNIT_PRIMITIVE;
  out['x-gitlab-authentication-type'] ??= 'oidc';
  out['content-type'] ??= 'application/json';
  if (provider === 'anthropic') out['anthropic-version'] ??= '2023-06-01';
  out['authorization'] = `Bearer ${credential.token}`;
  return out;
}
