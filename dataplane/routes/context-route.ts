import { decide } from '../../policy/decide.ts';
import { isProviderId } from '../../policy/providers.ts';
import { formatSize } from '../../policy/size.ts';
import { DataplaneError } from '../codes.ts';
import type { GitLabClient } from '../gitlab/gitlab-client.ts';
import type { GitLabFailure } from '../gitlab/gitlab-types.ts';
import type { BundleStore } from '../bundle/bundle-store.ts';
import type { Handler, Stage } from '../pipeline/run-pipeline.ts';
import type { RequestContext } from '../pipeline/request-context.ts';
import { send } from '../pipeline/send.ts';
import type { GitLabHealth } from '../server/gitlab-health.ts';

/** Reads `file` and `provider` from the query before the policy decides on them. */
export const contextParams: Stage = function contextParams(ctx) {
  const file = ctx.url.searchParams.get('file');
  if (!file) return new DataplaneError('request_invalid', 'aigate: name the file with ?file=path/in/repo');
  ctx.file = file;
  const provider = ctx.url.searchParams.get('provider');
  if (provider !== null) {
    if (!isProviderId(provider)) return new DataplaneError('request_invalid', `aigate: unknown provider "${provider}"`);
    ctx.provider = provider;
  }
  return undefined;
};

/**
 * GET /api/context: a repository file as the policy lets it leave. The file is fetched with the
 * user's token (GitLab enforces code access again), at the normalised path the policy checked, read
 * no further than the size limit, and redacted with the project's rule set.
 */
export function contextHandler(gitlab: GitLabClient, store: BundleStore, health: GitLabHealth, maxFileSize: number): Handler {
  return async function contextHandler(ctx) {
    const decision = ctx.decision;
    const project = ctx.project;
    if (!decision?.allow || !project || ctx.file === undefined || !ctx.token) throw new DataplaneError('internal_error', 'aigate: context served without a decision');
    const ref = ctx.url.searchParams.get('ref') || project.defaultBranch;
    if (!ref) throw new DataplaneError('file_not_found', `aigate: ${project.path} has no default branch`);

    const started = performance.now();
    const opened = await gitlab.openFile(ctx.token, project.id, ctx.file, ref);
    ctx.gitlabMs += performance.now() - started;
    health.observe(opened);
    if (!opened.ok) throw gitlabError(opened, ctx, ref);
    const file = opened.value;
    let content: Buffer;
    try {
      // The size arrives in the headers, so an oversized file is refused before any of it is read.
      const policyLimit = decision.maxFileSize ?? Infinity;
      if (file.size > policyLimit) {
        // Same decision, now with the size, so the message cites the rule that set the limit.
        const sized = decide(store.current(), { project: { id: project.id, path: project.path }, ...(ctx.provider ? { provider: ctx.provider } : {}), file: ctx.file, size: file.size });
        throw new DataplaneError('file_too_large', sized.allow ? `aigate: ${ctx.file} is too large` : sized.message);
      }
      const limit = Math.min(policyLimit, maxFileSize);
      if (file.size > limit) throw new DataplaneError('file_too_large', `aigate: ${ctx.file} is ${formatSize(file.size)}, above this proxy's ${formatSize(limit)} limit`);
      const readStarted = performance.now();
      const raw = await file.read(limit);
      ctx.gitlabMs += performance.now() - readStarted;
      health.observe(raw);
      if (!raw.ok) throw raw.kind === 'too_large' ? new DataplaneError('file_too_large', `aigate: ${ctx.file} is above the ${formatSize(limit)} limit`) : gitlabError(raw, ctx, ref);
      content = raw.value;
    } finally {
      file.discard();
    }
    ctx.upstreamStatus = 200;
    // Binary content is neither text an assistant can use nor text redaction can vouch for.
    if (content.subarray(0, 8192).includes(0)) throw new DataplaneError('file_binary', `aigate: ${ctx.file} is a binary file; only text is served`);

    const text = decision.ruleSet.redactor.redactInto(content.toString('utf8'), ctx.redactions);
    const redactions = Object.entries(ctx.redactions).map(([id, n]) => `${id}=${n}`).join(',');
    ctx.outcome = { decision: 'allow', reason: null, status: 200 };
    send(ctx, 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', 'x-aigate-redactions': redactions || 'none', 'x-aigate-bundle-serial': decision.serial }, text);
  };
}

function gitlabError(failure: GitLabFailure, ctx: RequestContext, ref: string): DataplaneError {
  if (failure.kind === 'not_found') return new DataplaneError('file_not_found', `aigate: ${ctx.file} does not exist at ${ref}`);
  if (failure.kind === 'forbidden' || failure.kind === 'unauthorized') return new DataplaneError('repo_read_forbidden', `aigate: GitLab does not let you read ${ctx.project?.path ?? 'this repository'}'s files`);
  return new DataplaneError('gitlab_unavailable', 'aigate: GitLab is unreachable; try again shortly', { retryAfter: failure.retryAfter ?? 5 });
}
