import type { ProjectRecord } from './model.ts';
import { isoAt } from './model.ts';
import type { Commit } from './repository.ts';

/** GitLab's Commit entity (as in compare, branches and `commits/:sha`). */
export function commitEntity(commit: Commit, project: ProjectRecord, baseUrl: string): Record<string, unknown> {
  const at = isoAt(commit.time);
  const title = commit.message.split('\n')[0] ?? '';
  return {
    id: commit.sha,
    short_id: commit.sha.slice(0, 8),
    created_at: at,
    parent_ids: commit.parent ? [commit.parent] : [],
    title,
    message: commit.message,
    author_name: commit.authorName,
    author_email: commit.authorEmail,
    authored_date: at,
    committer_name: commit.authorName,
    committer_email: commit.authorEmail,
    committed_date: at,
    trailers: {},
    extended_trailers: {},
    web_url: `${baseUrl}/${project.fullPath}/-/commit/${commit.sha}`,
  };
}
