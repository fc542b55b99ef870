import { DataplaneError } from '../codes.ts';
import type { GitLabIdentity } from '../gitlab/gitlab-identity.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';
import type { RequestContext } from '../pipeline/request-context.ts';
import type { GitLabHealth } from '../server/gitlab-health.ts';

/** group/sub/project (GitLab path characters) or a numeric project id. */
const REPO = /^(?:\d{1,15}|[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.][A-Za-z0-9_.-]*){1,20})$/;

/** The repository the client names: `X-AI-Repo` header, else the `repo` query parameter. */
export function repoOf(ctx: RequestContext): string | undefined {
  const header = ctx.req.headers['x-ai-repo'];
  const value = typeof header === 'string' && header ? header : (ctx.url.searchParams.get('repo') ?? undefined);
  return value?.trim() || undefined;
}

/**
 * resolve repo: asks GitLab, with the user's own token, for the project. GitLab decides visibility:
 * a project that does not exist and one the user cannot see get the same answer, so aigate never
 * confirms a private project's existence. Renamed projects follow GitLab's redirect to the
 * canonical id and path, which the policy then checks.
 */
export function resolveRepo(identity: GitLabIdentity, health: GitLabHealth, options: { required: boolean }): Stage {
  return async function resolveRepo(ctx) {
    const repo = repoOf(ctx);
    if (repo === undefined) {
      if (options.required) return new DataplaneError('request_invalid', 'aigate: name the repository with ?repo=group/project or the X-AI-Repo header');
      return undefined;
    }
    ctx.repoRequested = repo.slice(0, 512);
    if (!REPO.test(repo) || repo.length > 512) return new DataplaneError('request_invalid', 'aigate: the repository must be a GitLab path such as group/project');
    const { result, ms } = await identity.project(ctx.token ?? '', repo);
    ctx.gitlabMs += ms;
    health.observe(result);
    if (result.ok) {
      ctx.project = result.value;
      return undefined;
    }
    if (result.kind === 'unavailable') return new DataplaneError('gitlab_unavailable', 'aigate: GitLab is unreachable, so repository access cannot be checked; try again shortly', { retryAfter: result.retryAfter ?? 5 });
    return new DataplaneError('repo_access_denied', `aigate: ${repo} does not exist or you do not have access to it`);
  };
}
