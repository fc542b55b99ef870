import { randomBytes } from 'node:crypto';
import { duoWorldFor } from './duo-world.ts';
import { clientOf, oauthError, oauthParams, scopesOf } from './oauth-grants.ts';
import { redirectAllowed } from './oauth-world.ts';
import { jsonReply, textReply, unauthorized, type Reply } from './reply.ts';
import type { HandlerContext, Route } from './route-types.ts';
import { userByName } from './store.ts';

/** A signed-in browser is modelled by a token in PRIVATE-TOKEN or Bearer (or `autoApprove`). */
const SESSION = { readScopes: [], anyScope: true, anonymous: true, readOnly: true } as const;

const found = (location: string): Reply => ({ status: 302, headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, body: Buffer.from('<html><body>You are being redirected.</body></html>') });

function redirectWith(redirectUri: string, values: Record<string, string | undefined>): Reply {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(values)) if (v !== undefined) url.searchParams.set(k, v);
  return found(url.href);
}

/**
 * GET /oauth/authorize: the consent page, approved at once for the signed-in user. Errors that
 * cannot be trusted to a redirect (unknown client, unregistered redirect URI) are shown, not
 * redirected, so the endpoint is no open redirector.
 */
export const authorizeRoute: Route = {
  access: SESSION,
  handle(ctx: HandlerContext): Reply {
    const world = duoWorldFor(ctx.store);
    const p = oauthParams(ctx);
    const app = p['client_id'] ? world.oauth.applications.get(p['client_id']) : undefined;
    if (!app) return textReply(401, 'Client authentication failed due to unknown client.', {}, 'text/html; charset=utf-8');
    const redirectUri = p['redirect_uri'] ?? '';
    if (!redirectAllowed(app, redirectUri, world.oauth.strictRedirectPorts)) return textReply(400, 'The redirect uri included is not valid.', {}, 'text/html; charset=utf-8');
    const state = p['state'];
    if (p['response_type'] !== 'code') return redirectWith(redirectUri, { error: 'unsupported_response_type', state });
    const scopes = scopesOf(p['scope'], app);
    if (!scopes) return redirectWith(redirectUri, { error: 'invalid_scope', state });
    const challenge = p['code_challenge'] ?? null;
    const method = challenge === null ? null : (p['code_challenge_method'] ?? 'plain');
    // A public client has no secret, so without PKCE anyone who sees the code could redeem it.
    if ((app.secret === null && challenge === null) || (method !== null && method !== 'S256' && method !== 'plain')) return redirectWith(redirectUri, { error: 'invalid_request', state });
    const user = ctx.principal.user ?? (world.oauth.autoApprove ? userByName(ctx.store, world.oauth.autoApprove) : undefined);
    if (!user) return found(`${ctx.baseUrl}/users/sign_in`);
    const code = randomBytes(32).toString('hex');
    world.oauth.codes.set(code, { clientId: app.uid, username: user.username, redirectUri, challenge, challengeMethod: method as 'S256' | 'plain' | null, scopes, expiresAt: world.now() + 600_000, used: false });
    return redirectWith(redirectUri, { code, state });
  },
};

const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function userCode(): string {
  const bytes = randomBytes(8);
  const chars = [...bytes].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** POST /oauth/authorize_device (RFC 8628 §3.1); absent (404) when the instance flag is off. */
export const authorizeDeviceRoute: Route = {
  access: { readScopes: [], anonymous: true },
  noAuth: true,
  handle(ctx: HandlerContext): Reply {
    const world = duoWorldFor(ctx.store);
    if (!world.oauth.deviceGrant) return textReply(404, 'Not Found');
    const p = oauthParams(ctx);
    const app = clientOf(world, p);
    if (!app) return oauthError('invalid_client');
    const scopes = scopesOf(p['scope'], app);
    if (!scopes) return oauthError('invalid_scope');
    const deviceCode = randomBytes(32).toString('hex');
    const code = userCode();
    const { deviceIntervalSeconds: interval, deviceExpiresInSeconds: expiresIn } = world.oauth;
    world.oauth.devices.set(deviceCode, { deviceCode, userCode: code, clientId: app.uid, scopes, expiresAt: world.now() + expiresIn * 1000, interval, lastPoll: null, status: 'pending', username: null });
    return jsonReply(200, {
      device_code: deviceCode,
      user_code: code,
      verification_uri: `${ctx.baseUrl}/oauth/device`,
      verification_uri_complete: `${ctx.baseUrl}/oauth/device?user_code=${encodeURIComponent(code)}`,
      expires_in: expiresIn,
      interval,
    });
  },
};

/** POST /oauth/device: the signed-in user confirms (or, with `action=deny`, refuses) a user code. */
export const deviceVerifyRoute: Route = {
  access: SESSION,
  handle(ctx: HandlerContext): Reply {
    const user = ctx.principal.user;
    if (!user) return unauthorized();
    const world = duoWorldFor(ctx.store);
    const p = oauthParams(ctx);
    try {
      if (p['action'] === 'deny') world.oauth.denyDevice(p['user_code'] ?? '');
      else world.oauth.approveDevice(p['user_code'] ?? '', user.username);
    } catch {
      return textReply(422, 'Invalid or expired user code.', {}, 'text/html; charset=utf-8');
    }
    return textReply(200, p['action'] === 'deny' ? 'Device authorization denied.' : 'Device authorized. You can return to your terminal.', {}, 'text/html; charset=utf-8');
  },
};
