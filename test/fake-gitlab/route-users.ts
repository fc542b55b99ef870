import { tokenSelf, userPublic } from './entities-user.ts';
import { jsonReply, unauthorized } from './reply.ts';
import type { Route } from './route-types.ts';

export const GITLAB_VERSION = { version: '18.6.0', revision: 'f1e2d3c4b5a' } as const;

const USER_SCOPES = ['read_api', 'read_user'];

export const versionRoute: Route = {
  access: { readScopes: USER_SCOPES, anonymous: false },
  handle: () => jsonReply(200, { ...GITLAB_VERSION, kas: { enabled: false, externalUrl: null, externalK8sProxyUrl: null, version: null }, enterprise: false }),
};

export const currentUserRoute: Route = {
  access: { readScopes: USER_SCOPES, anonymous: false },
  handle: (ctx) => (ctx.principal.user ? jsonReply(200, userPublic(ctx.principal.user, ctx.baseUrl)) : unauthorized()),
};

/** Any scope may read its own token; OAuth tokens are not personal access tokens. */
export const tokenSelfRoute: Route = {
  access: { readScopes: [], anyScope: true, anonymous: false },
  handle(ctx) {
    const { user, token } = ctx.principal;
    if (!user || !token) return unauthorized();
    if (token.kind === 'oauth') return jsonReply(400, { message: '400 Bad request - This endpoint requires token type to be a personal access token' });
    return jsonReply(200, tokenSelf(token, user));
  },
};
