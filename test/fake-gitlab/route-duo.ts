import { signGatewayToken } from '../fake-ai-gateway/gateway-token.ts';
import { duoWorldFor, type FakeDuoWorld } from './duo-world.ts';
import type { UserRecord } from './model.ts';
import { forbidden, jsonReply, routeNotFound, unauthorized, type Reply } from './reply.ts';
import type { HandlerContext, Route } from './route-types.ts';
import { GITLAB_VERSION } from './route-users.ts';

/** `allow_access_with_scope [:ai_features, :api]`, whatever the HTTP method. */
const ACCESS = { readScopes: ['ai_features'], readOnly: true, anonymous: false } as const;

const ORIGIN = { 'X-GitLab-Error-Origin': 'monolith' };

const TOO_MANY = { error: 'This endpoint has been requested too many times. Try again later.' };

/** `check_rate_limit!`: a sliding log per user, shared by both endpoints (stricter than GitLab). */
function rateLimited(world: FakeDuoWorld, user: UserRecord): boolean {
  const now = world.now();
  const log = (world.calls.get(user.username) ?? []).filter((t) => t > now - world.rateLimit.windowMs);
  if (log.length >= world.rateLimit.limit) return true;
  log.push(now);
  world.calls.set(user.username, log);
  return false;
}

/** CloudConnector.ai_headers + AiGateway.public_headers, spelled as GitLab spells them. */
function publicHeaders(world: FakeDuoWorld, user: UserRecord, baseUrl: string): Record<string, string> {
  return {
    'x-gitlab-enabled-feature-flags': '',
    'X-Gitlab-Host-Name': new URL(baseUrl).hostname,
    'X-Gitlab-Instance-Id': world.instanceId,
    'X-Gitlab-Global-User-Id': world.globalUserId(user.id),
    'X-Gitlab-Realm': world.realm,
    'X-Gitlab-Version': GITLAB_VERSION.version,
    'X-Gitlab-Feature-Enabled-By-Namespace-Ids': '',
  };
}

function mint(world: FakeDuoWorld, user: UserRecord, endpoint: 'third_party_agents' | 'code_suggestions'): { token: string; expires_at: number } {
  const settings = world.user(user.username);
  const iat = Math.floor(world.now() / 1000);
  const exp = iat + settings.tokenTtlSeconds;
  const scopes = ['complete_code', ...(settings.modelProxy ? ['ai_gateway_model_provider_proxy'] : [])];
  const token = signGatewayToken(
    {
      sub: world.globalUserId(user.id),
      iat,
      exp,
      gitlab_realm: world.realm,
      gitlab_instance_uid: world.instanceId,
      scopes,
      ...(settings.allowedModelRefs ? { gitlab_allowed_model_refs: settings.allowedModelRefs } : {}),
    },
    world.keys.privateKey,
  );
  world.issued.push({ username: user.username, endpoint, token, expiresAt: exp });
  return { token, expires_at: exp };
}

/** POST /api/v4/ai/third_party_agents/direct_access (ee/lib/api/ai/third_party_agents.rb). */
const thirdPartyAgentsRoute: Route = {
  access: ACCESS,
  handle(ctx: HandlerContext): Reply {
    const user = ctx.principal.user;
    if (!user) return unauthorized();
    const world = duoWorldFor(ctx.store);
    // An instance without the endpoint (before GitLab 18.x) has no such route at all.
    if (!world.thirdPartyEndpoint) return routeNotFound();
    const settings = world.user(user.username);
    if (!settings.thirdPartyAgents || world.directAccessDisabled) return forbidden();
    if (rateLimited(world, user)) return jsonReply(429, { message: TOO_MANY });
    if (settings.tokenFailure) return jsonReply(503, { message: 'Token creation failed' });
    if (world.realm === 'saas' && !settings.defaultNamespace) return jsonReply(503, { message: 'Missing default GitLab Duo namespace user preference' });
    const headers = {
      ...publicHeaders(world, user, ctx.baseUrl),
      'x-gitlab-unit-primitive': 'ai_gateway_model_provider_proxy',
      'x-gitlab-authentication-type': 'oidc',
      ...world.extraHeaders,
    };
    return jsonReply(201, { headers, ...mint(world, user, 'third_party_agents') });
  },
};

/** POST /api/v4/code_suggestions/direct_access (ee/lib/api/code_suggestions.rb). */
const codeSuggestionsRoute: Route = {
  access: ACCESS,
  handle(ctx: HandlerContext): Reply {
    const user = ctx.principal.user;
    if (!user) return unauthorized();
    const world = duoWorldFor(ctx.store);
    const settings = world.user(user.username);
    if (!world.codeSuggestionsEndpoint) return jsonReply(404, { message: '404 Not found' }, ORIGIN);
    if (!settings.codeSuggestions) return jsonReply(401, { message: '401 Unauthorized' }, ORIGIN);
    if (world.directAccessDisabled) return forbidden('403 Forbidden - Direct connections are disabled');
    if (rateLimited(world, user)) return jsonReply(429, { message: TOO_MANY });
    if (settings.tokenFailure) return jsonReply(503, { message: 'Token creation failed' });
    const headers = {
      ...publicHeaders(world, user, ctx.baseUrl),
      ...(world.realm === 'saas' ? { 'X-Gitlab-Saas-Namespace-Ids': '', 'X-Gitlab-Saas-Duo-Pro-Namespace-Ids': '' } : {}),
      'X-Gitlab-Model-Prompt-Cache-Enabled': 'true',
      'X-Gitlab-Authentication-Type': 'oidc',
      ...world.extraHeaders,
    };
    return jsonReply(201, {
      base_url: world.aiGatewayUrl,
      ...mint(world, user, 'code_suggestions'),
      headers,
      ...(settings.modelDetails ? { model_details: settings.modelDetails } : {}),
    });
  },
};

/** The Duo routes under /api/v4 (path segments already decoded), or undefined. */
export function matchDuoRoute(method: string, key: string): Route | undefined {
  if (method !== 'POST') return undefined;
  if (key === 'code_suggestions/direct_access') return codeSuggestionsRoute;
  if (key === 'ai/third_party_agents/direct_access') return thirdPartyAgentsRoute;
  return undefined;
}
