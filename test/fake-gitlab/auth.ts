import type { IncomingHttpHeaders } from 'node:http';
import type { TokenRecord, UserRecord } from './model.ts';
import { jsonReply, unauthorized, type Reply } from './reply.ts';
import { userByName, type Store } from './store.ts';

export type AuthVia = 'private-token' | 'bearer' | 'job-token' | 'query' | 'none';

export interface Credentials {
  /** A PAT-family token (PRIVATE-TOKEN, private_token) or, when `bearer`, PAT-family or OAuth. */
  readonly access?: { readonly value: string; readonly bearer: boolean };
  readonly job?: string;
  readonly via: AuthVia;
}

export function readCredentials(headers: IncomingHttpHeaders, query: Readonly<Record<string, string>>): Credentials {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return (Array.isArray(v) ? v[0] : v) || undefined;
  };
  const bearer = /^bearer\s+(\S+)/i.exec(header('authorization') ?? '')?.[1];
  const privateHeader = header('private-token');
  const jobHeader = header('job-token');
  const access = query.private_token || privateHeader ? { value: query.private_token || privateHeader || '', bearer: false }
    : query.access_token || bearer ? { value: query.access_token || bearer || '', bearer: true } : undefined;
  const job = query.job_token || jobHeader;
  const via: AuthVia = privateHeader ? 'private-token' : bearer ? 'bearer' : query.private_token || query.access_token ? 'query'
    : jobHeader ? 'job-token' : query.job_token ? 'query' : 'none';
  return { ...(access ? { access } : {}), ...(job ? { job } : {}), via };
}

/** Who a route lets in. `api` always works; read scopes only on GET/HEAD (as GitLab's `read_api`). */
export interface RouteAccess {
  readonly readScopes: readonly string[];
  /** Any scope works (GitLab's `allow_access_with_scope(all_available_scopes)`). */
  readonly anyScope?: boolean;
  /** Anonymous callers are served (public data only); otherwise they get 401. */
  readonly anonymous: boolean;
  /** The route opts in to CI job tokens; elsewhere a job token is ignored (= anonymous). */
  readonly jobToken?: boolean;
  /** Read scopes apply whatever the HTTP method (GraphQL queries arrive as POST). */
  readonly readOnly?: boolean;
}

export interface Principal {
  readonly user?: UserRecord;
  readonly token?: TokenRecord;
}

export type AuthFailure = 'unauthorized' | 'expired' | 'revoked' | 'insufficient_scope' | 'blocked';

export type AuthResult = { readonly ok: true; readonly principal: Principal } | { readonly ok: false; readonly failure: AuthFailure; readonly scopes: string };

const PAT_FAMILY = new Set(['pat', 'project', 'group']);

export function isExpired(token: TokenRecord, now = Date.now()): boolean {
  return token.expiresAt !== null && new Date(now).toISOString().slice(0, 10) >= token.expiresAt;
}

export function authenticate(store: Store, creds: Credentials, access: RouteAccess, method: string): AuthResult {
  const read = access.readOnly || method === 'GET' || method === 'HEAD';
  const allowed = ['api', ...(read ? access.readScopes : [])];
  const fail = (failure: AuthFailure): AuthResult => ({ ok: false, failure, scopes: allowed.join(' ') });
  const withUser = (token: TokenRecord): AuthResult => {
    const user = userByName(store, token.username);
    if (!user) return fail('unauthorized');
    return user.state === 'blocked' ? fail('blocked') : { ok: true, principal: { user, token } };
  };
  if (creds.access) {
    const token = store.tokens.get(creds.access.value);
    if (!token || !(PAT_FAMILY.has(token.kind) || (creds.access.bearer && token.kind === 'oauth'))) return fail('unauthorized');
    // GitLab's AccessTokenValidationService order: expired, revoked, then scopes.
    if (isExpired(token)) return fail('expired');
    if (token.revoked) return fail('revoked');
    if (!access.anyScope && !token.scopes.some((s) => allowed.includes(s))) return fail('insufficient_scope');
    return withUser(token);
  }
  if (creds.job && access.jobToken) {
    const token = store.tokens.get(creds.job);
    // A job token only lives while its job runs; afterwards it is simply unknown.
    if (!token || token.kind !== 'job' || isExpired(token) || token.revoked) return fail('unauthorized');
    return withUser(token);
  }
  return access.anonymous ? { ok: true, principal: {} } : fail('unauthorized');
}

const EXPIRED = 'Token is expired. You can either do re-authorization or token refresh.';
const REVOKED = 'Token was revoked. You have to re-authorize from the user.';
const INSUFFICIENT = 'The request requires higher privileges than provided by the access token.';

export function authFailureReply(failure: AuthFailure, scopes: string): Reply {
  const challenge = (error: string, description: string, extra = ''): Record<string, string> => ({
    'WWW-Authenticate': `Bearer realm="The API", error="${error}", error_description="${description}"${extra}`,
  });
  switch (failure) {
    case 'expired':
      return jsonReply(401, { error: 'invalid_token', error_description: EXPIRED }, challenge('invalid_token', EXPIRED));
    case 'revoked':
      return jsonReply(401, { error: 'invalid_token', error_description: REVOKED }, challenge('invalid_token', REVOKED));
    case 'insufficient_scope':
      return jsonReply(403, { error: 'insufficient_scope', error_description: INSUFFICIENT, scope: scopes }, challenge('insufficient_scope', INSUFFICIENT, `, scope="${scopes}"`));
    case 'blocked':
      return jsonReply(403, { message: '403 Forbidden - Your account has been blocked.' });
    case 'unauthorized':
      return unauthorized();
  }
}
