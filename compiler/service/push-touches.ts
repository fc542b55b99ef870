import { AICONFIG_FILE } from '../gitlab/aiconfig-input.ts';
import type { GitLabClient } from '../gitlab/gitlab-client.ts';

export const ZERO_SHA = '0000000000000000000000000000000000000000';
/** GitLab lists at most this many commits in a push hook. */
const LISTED_COMMITS = 20;

export interface PushRange {
  readonly before: string;
  readonly after: string;
  readonly totalCommits: number;
  readonly commits: readonly { readonly added?: readonly string[]; readonly modified?: readonly string[]; readonly removed?: readonly string[] }[];
}

/**
 * Whether a push changed the root `.aiconfig`. The hook's own file lists are complete only when it
 * lists every commit (at most 20); beyond that, or for a created or deleted branch, the compare API
 * answers. When in doubt the answer is yes: a needless re-read costs one request, a missed one
 * leaves a stale policy.
 */
export async function pushTouchesAiconfig(client: GitLabClient, projectId: number, range: PushRange): Promise<boolean> {
  if (range.before === ZERO_SHA || range.after === ZERO_SHA) return true;
  const complete = range.totalCommits <= LISTED_COMMITS && range.commits.length === range.totalCommits;
  if (complete) return range.commits.some((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])].includes(AICONFIG_FILE));
  const res = await client.request<{ diffs?: { old_path: string; new_path: string }[] }>('GET', `projects/${projectId}/repository/compare`, { query: { from: range.before, to: range.after, straight: true }, accept: [404] });
  if (res.status === 404 || !Array.isArray(res.body.diffs)) return true;
  return res.body.diffs.some((d) => d.old_path === AICONFIG_FILE || d.new_path === AICONFIG_FILE);
}
