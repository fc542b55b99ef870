import { createHash } from 'node:crypto';
import { duoWorldFor, type FakeDuoWorld } from './duo-world.ts';
import { clientOf, issueGrant, oauthError, oauthParams, revokeGrant } from './oauth-grants.ts';
import type { Reply } from './reply.ts';
import type { HandlerContext, Route } from './route-types.ts';
import type { Store } from './store.ts';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

function authorizationCode(world: FakeDuoWorld, store: Store, params: Record<string, string>): Reply {
  const app = clientOf(world, params);
  if (!app) return oauthError('invalid_client');
  const code = world.oauth.codes.get(params['code'] ?? '');
  if (!code || code.used || code.expiresAt <= world.now() || code.clientId !== app.uid || code.redirectUri !== params['redirect_uri']) return oauthError('invalid_grant');
  if (code.challenge !== null) {
    // PKCE (RFC 7636): only the party that made the challenge knows the verifier, so an intercepted code is useless.
    const verifier = params['code_verifier'] ?? '';
    if (!VERIFIER.test(verifier)) return oauthError('invalid_grant');
    const derived = code.challengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
    if (derived !== code.challenge) return oauthError('invalid_grant');
  }
  code.used = true;
  return issueGrant(world, store, app.uid, code.username, code.scopes);
}

function refreshToken(world: FakeDuoWorld, store: Store, params: Record<string, string>): Reply {
  const app = clientOf(world, params);
  if (!app) return oauthError('invalid_client');
  const grant = world.oauth.grants.get(params['refresh_token'] ?? '');
  if (!grant || grant.refreshToken !== params['refresh_token'] || grant.revoked || grant.rotated || grant.clientId !== app.uid) return oauthError('invalid_grant');
  // Rotation: the old pair dies with the exchange, so a stolen refresh token works at most once.
  grant.rotated = true;
  revokeGrant(store, grant);
  return issueGrant(world, store, app.uid, grant.username, grant.scopes);
}

function deviceCode(world: FakeDuoWorld, store: Store, params: Record<string, string>): Reply {
  const app = clientOf(world, params);
  if (!app) return oauthError('invalid_client');
  const device = world.oauth.devices.get(params['device_code'] ?? '');
  if (!device || device.clientId !== app.uid || device.status === 'used') return oauthError('invalid_grant');
  const now = world.now();
  if (device.expiresAt <= now) return oauthError('expired_token');
  if (device.status === 'denied') return oauthError('access_denied');
  const tooSoon = device.lastPoll !== null && now - device.lastPoll < device.interval * 1000;
  device.lastPoll = now;
  if (world.oauth.slowDownNext > 0 || tooSoon) {
    world.oauth.slowDownNext = Math.max(0, world.oauth.slowDownNext - 1);
    device.interval += 5;
    return oauthError('slow_down');
  }
  if (device.status === 'pending' || device.username === null) return oauthError('authorization_pending');
  device.status = 'used';
  return issueGrant(world, store, app.uid, device.username, device.scopes);
}

/** POST /oauth/token: authorization_code (+PKCE), refresh_token (rotating), device_code. */
export const tokenRoute: Route = {
  access: { readScopes: [], anonymous: true },
  noAuth: true,
  handle(ctx: HandlerContext): Reply {
    const world = duoWorldFor(ctx.store);
    const params = oauthParams(ctx);
    switch (params['grant_type']) {
      case 'authorization_code':
        return authorizationCode(world, ctx.store, params);
      case 'refresh_token':
        return refreshToken(world, ctx.store, params);
      case DEVICE_GRANT:
        return deviceCode(world, ctx.store, params);
      case undefined:
        return oauthError('invalid_request');
      default:
        return oauthError('unsupported_grant_type');
    }
  },
};
