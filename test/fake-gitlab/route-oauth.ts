import { duoWorldFor } from './duo-world.ts';
import { clientOf, oauthError, oauthParams, revokeGrant } from './oauth-grants.ts';
import { jsonReply, type Reply } from './reply.ts';
import { authorizeDeviceRoute, authorizeRoute, deviceVerifyRoute } from './route-oauth-authorize.ts';
import { tokenRoute } from './route-oauth-token.ts';
import type { HandlerContext, Route } from './route-types.ts';

const INVALID_TOKEN = { error: 'invalid_token', error_description: 'The access token is invalid' };

/** GET /oauth/token/info: introspection of the Bearer token (OAuth tokens only). */
const tokenInfoRoute: Route = {
  access: { readScopes: [], anyScope: true, anonymous: true },
  handle(ctx: HandlerContext): Reply {
    const world = duoWorldFor(ctx.store);
    const grant = ctx.principal.token ? world.oauth.grants.get(ctx.principal.token.value) : undefined;
    if (!grant || grant.revoked || grant.accessToken !== ctx.principal.token?.value) return jsonReply(401, INVALID_TOKEN);
    const left = Math.max(0, grant.createdAt + grant.expiresIn - Math.floor(world.now() / 1000));
    const user = ctx.principal.user;
    return jsonReply(200, {
      resource_owner_id: user?.id ?? null,
      scope: grant.scopes,
      expires_in: left,
      application: { uid: grant.clientId },
      created_at: grant.createdAt,
      scopes: grant.scopes,
      expires_in_seconds: left,
    });
  },
};

/** POST /oauth/revoke (RFC 7009): always 200, whether or not the token existed. */
const revokeRoute: Route = {
  access: { readScopes: [], anonymous: true },
  noAuth: true,
  handle(ctx: HandlerContext): Reply {
    const world = duoWorldFor(ctx.store);
    const p = oauthParams(ctx);
    const app = clientOf(world, p);
    if (!app) return oauthError('invalid_client');
    const grant = world.oauth.grants.get(p['token'] ?? '');
    if (grant && grant.clientId === app.uid) revokeGrant(ctx.store, grant);
    return jsonReply(200, {});
  },
};

/** GitLab's OAuth provider endpoints (outside /api/v4), or undefined. */
export function matchOAuthRoute(method: string, rawPath: string): Route | undefined {
  if (rawPath === '/oauth/authorize' && method === 'GET') return authorizeRoute;
  if (rawPath === '/oauth/token' && method === 'POST') return tokenRoute;
  if (rawPath === '/oauth/authorize_device' && method === 'POST') return authorizeDeviceRoute;
  if (rawPath === '/oauth/device' && method === 'POST') return deviceVerifyRoute;
  if (rawPath === '/oauth/token/info' && method === 'GET') return tokenInfoRoute;
  if (rawPath === '/oauth/revoke' && method === 'POST') return revokeRoute;
  return undefined;
}
