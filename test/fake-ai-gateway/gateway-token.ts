import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Claims of an AI-gateway user access token as GitLab's direct_access endpoints hand them out: a
 * JWT the gateway signed itself (issuer `gitlab-ai-gateway`, subject = the user's global id) whose
 * `scopes` are unit primitives. Optional `gitlab_allowed_model_refs` restricts the models.
 */
export interface GatewayClaims {
  readonly iss: string;
  readonly aud: string;
  readonly sub: string;
  readonly iat: number;
  readonly exp: number;
  readonly jti: string;
  readonly gitlab_realm: 'self-managed' | 'saas';
  readonly gitlab_instance_uid: string;
  readonly scopes: readonly string[];
  readonly gitlab_allowed_model_refs?: readonly string[];
}

export const GATEWAY_ISSUER = 'gitlab-ai-gateway';

export interface GatewayKeys {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function generateGatewayKeys(): GatewayKeys {
  return generateKeyPairSync('ed25519');
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signGatewayToken(claims: Omit<GatewayClaims, 'iss' | 'aud' | 'jti'>, privateKey: KeyObject): string {
  const full: GatewayClaims = { iss: GATEWAY_ISSUER, aud: GATEWAY_ISSUER, jti: randomUUID(), ...claims };
  const signingInput = `${b64({ alg: 'EdDSA', typ: 'JWT' })}.${b64(full)}`;
  return `${signingInput}.${sign(null, Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

export type VerifyResult = { readonly ok: true; readonly claims: GatewayClaims } | { readonly ok: false; readonly reason: 'malformed' | 'signature' | 'expired' };

/** Signature first, then expiry (`now` in ms): an unsigned or re-signed token never gets as far as its claims. */
export function verifyGatewayToken(token: string, publicKey: KeyObject, now: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [header, payload, signature] = parts as [string, string, string];
  let valid = false;
  try {
    valid = verify(null, Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!valid) return { ok: false, reason: 'signature' };
  let claims: GatewayClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as GatewayClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
