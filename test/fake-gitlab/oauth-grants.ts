import { randomBytes } from 'node:crypto';
import type { FakeDuoWorld } from './duo-world.ts';
import type { OAuthApplication, OAuthGrant } from './oauth-world.ts';
import { jsonReply, type Reply } from './reply.ts';
import type { HandlerContext } from './route-types.ts';
import type { Store } from './store.ts';

/** Doorkeeper reads parameters from the query and from a form or JSON body alike. */
export function oauthParams(ctx: HandlerContext): Record<string, string> {
  const text = ctx.body.toString('utf8').trim();
  let body: Record<string, string> = {};
  if (text.startsWith('{')) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      body = Object.fromEntries(Object.entries(parsed).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    } catch {
      body = {};
    }
  } else if (text !== '') {
    body = Object.fromEntries(new URLSearchParams(text));
  }
  return { ...ctx.query, ...body };
}

const DESCRIPTIONS: Record<string, string> = {
  invalid_client: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
  invalid_grant: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
  invalid_request: 'The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.',
  unsupported_grant_type: 'The authorization grant type is not supported by the authorization server.',
  invalid_scope: 'The requested scope is invalid, unknown, or malformed.',
  authorization_pending: 'The authorization request is still pending as the end user hasn\'t yet completed the user-interaction steps.',
  slow_down: 'The client is polling too frequently and should back off.',
  expired_token: 'The device_code has expired, and the device authorization session has concluded.',
  access_denied: 'The resource owner or authorization server denied the request.',
};

export function oauthError(error: string): Reply {
  return jsonReply(error === 'invalid_client' ? 401 : 400, { error, error_description: DESCRIPTIONS[error] ?? error });
}

/** The registered application, when the client id is known and the secret (if any) matches. */
export function clientOf(world: FakeDuoWorld, params: Record<string, string>): OAuthApplication | undefined {
  const app = params['client_id'] ? world.oauth.applications.get(params['client_id']) : undefined;
  if (!app) return undefined;
  // A confidential application must prove it is itself; a public one (PKCE) has nothing to prove.
  if (app.secret !== null && params['client_secret'] !== app.secret) return undefined;
  return app;
}

/**
 * A new access/refresh pair. The access token also becomes an `oauth` token of the fake's store, so
 * every /api/v4 route accepts it as `Authorization: Bearer`. Its store expiry is date-granular
 * (the day after it expires), so a test that needs GitLab to reject it calls `state.expireToken`.
 */
export function issueGrant(world: FakeDuoWorld, store: Store, clientId: string, username: string, scopes: readonly string[]): Reply {
  const now = world.now();
  const accessToken = randomBytes(32).toString('hex');
  const refreshToken = randomBytes(32).toString('hex');
  const expiresIn = world.oauth.accessTokenTtlSeconds;
  const grant: OAuthGrant = { accessToken, refreshToken, clientId, username, scopes, createdAt: Math.floor(now / 1000), expiresIn, revoked: false, rotated: false };
  world.oauth.grants.set(accessToken, grant);
  world.oauth.grants.set(refreshToken, grant);
  const dayAfter = new Date(now + expiresIn * 1000 + 86_400_000).toISOString().slice(0, 10);
  store.tokens.set(accessToken, { id: store.tokens.size + 1, value: accessToken, kind: 'oauth', username, scopes: [...scopes], expiresAt: dayAfter, revoked: false, project: null, name: `oauth ${clientId}` });
  return jsonReply(200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, refresh_token: refreshToken, scope: scopes.join(' '), created_at: grant.createdAt });
}

/** Revokes a grant and its access token in the store (refresh rotation, /oauth/revoke). */
export function revokeGrant(store: Store, grant: OAuthGrant): void {
  grant.revoked = true;
  const record = store.tokens.get(grant.accessToken);
  if (record) record.revoked = true;
}

export function scopesOf(value: string | undefined, app: OAuthApplication): string[] | undefined {
  const scopes = (value ?? '').split(/[\s+]+/).filter(Boolean);
  const wanted = scopes.length > 0 ? scopes : ['api'];
  return wanted.every((s) => app.scopes.includes(s)) ? wanted : undefined;
}
