import { DataplaneError } from '../codes.ts';
import type { GitLabIdentity } from '../gitlab/gitlab-identity.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';
import type { RequestContext } from '../pipeline/request-context.ts';
import type { GitLabHealth } from '../server/gitlab-health.ts';

/** Tokens are printable ASCII; anything else is refused before it reaches a header or a log. */
const TOKEN = /^[\x21-\x7e]{1,4096}$/;

/** The GitLab token from `Authorization: Bearer`, `x-api-key` or `PRIVATE-TOKEN` (clients differ). */
export function tokenOf(ctx: RequestContext): string | undefined {
  const authorization = ctx.req.headers['authorization'];
  if (typeof authorization === 'string' && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '').trim();
  const apiKey = ctx.req.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return apiKey.trim();
  const privateToken = ctx.req.headers['private-token'];
  if (typeof privateToken === 'string' && privateToken) return privateToken.trim();
  return undefined;
}

/**
 * authenticate: the user is whoever GitLab says the token belongs to (GET /user with that token,
 * cached by a hash of it). No aigate accounts, no shared secrets: revoking the token in GitLab
 * revokes AI access within the cache lifetime.
 */
export function authenticate(identity: GitLabIdentity, health: GitLabHealth): Stage {
  return async function authenticate(ctx) {
    const token = tokenOf(ctx);
    if (!token) return new DataplaneError('auth_missing', 'aigate: send your GitLab token as "Authorization: Bearer <token>" or "x-api-key: <token>"');
    if (!TOKEN.test(token)) return new DataplaneError('auth_invalid', 'aigate: the token is not a GitLab token');
    const { result, ms } = await identity.user(token);
    ctx.gitlabMs += ms;
    health.observe(result);
    if (result.ok) {
      if (result.value.state !== 'active') return new DataplaneError('auth_invalid', `aigate: GitLab user ${result.value.username} is ${result.value.state}`);
      ctx.token = token;
      ctx.user = result.value;
      return undefined;
    }
    if (result.kind === 'unauthorized') return new DataplaneError('auth_invalid', 'aigate: GitLab rejected the token (unknown, expired or revoked)');
    if (result.kind === 'forbidden') return new DataplaneError('auth_insufficient_scope', 'aigate: the token cannot read your GitLab user; it needs the read_user, read_api or api scope');
    return new DataplaneError('gitlab_unavailable', 'aigate: GitLab is unreachable, so your token cannot be checked; try again shortly', { retryAfter: result.retryAfter ?? 5 });
  };
}
