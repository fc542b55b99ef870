import type { KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { verifyGatewayToken, type GatewayClaims } from './gateway-token.ts';

/** Unit primitives the fake knows (a subset of gitlab-cloud-connector's list). */
export const UNIT_PRIMITIVES = new Set(['ai_gateway_model_provider_proxy', 'complete_code', 'generate_code', 'duo_chat', 'explain_vulnerability', 'review_merge_request']);

export const PROXY_PRIMITIVE = 'ai_gateway_model_provider_proxy';

export type AuthOutcome = { readonly ok: true; readonly claims: GatewayClaims } | { readonly ok: false; readonly status: number; readonly body: unknown };

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const authError = (error: string): AuthOutcome => ({ ok: false, status: 401, body: { error } });
const detail = (status: number, text: string): AuthOutcome => ({ ok: false, status, body: { detail: text } });

/**
 * The gateway's authentication middleware (ai_gateway/api/middleware) and the proxy routes'
 * `authorize_with_unit_primitive_header`, in their order: bearer, OIDC type, signature and expiry,
 * the identity headers against the token's claims, then the unit primitive.
 */
export function authenticateGatewayRequest(headers: IncomingHttpHeaders, publicKey: KeyObject, now: number): AuthOutcome {
  const authorization = header(headers, 'authorization');
  if (authorization === undefined) return authError('No authorization header presented');
  const [scheme, token] = authorization.split(' ', 2);
  if (scheme?.toLowerCase() !== 'bearer' || !token) return authError('Invalid authorization header');
  if (header(headers, 'x-gitlab-authentication-type') !== 'oidc') return authError('Invalid authentication token type - only OIDC is supported');
  const verified = verifyGatewayToken(token, publicKey, now);
  if (!verified.ok) return authError('Forbidden by auth provider');
  const { claims } = verified;
  // A token is bound to the realm and user it was minted for: headers naming someone else are refused.
  if (claims.gitlab_realm !== header(headers, 'x-gitlab-realm')) return authError("Header mismatch 'X-Gitlab-Realm'");
  if (claims.sub !== header(headers, 'x-gitlab-global-user-id')) return authError("Header mismatch 'X-Gitlab-Global-User-Id'");
  const primitive = header(headers, 'x-gitlab-unit-primitive');
  if (primitive === undefined) return detail(400, 'Missing x-gitlab-unit-primitive header');
  if (!UNIT_PRIMITIVES.has(primitive)) return detail(400, `Unknown unit primitive header ${primitive}`);
  if (primitive !== PROXY_PRIMITIVE || !claims.scopes.includes(primitive)) return detail(403, `Unauthorized to access ${primitive}`);
  return { ok: true, claims };
}
