import { diffSnapshots } from './compare.ts';
import type { ProjectRecord, UserRecord } from './model.ts';
import { isoAt, lastSegment } from './model.ts';
import type { Commit, Repository } from './repository.ts';
import type { MergeRequestRecord } from './store-collab.ts';
import { namespaceHumanName, type Store } from './store.ts';

export const ZERO_SHA = '0000000000000000000000000000000000000000';
/** GitLab lists at most this many commits in a push hook; `total_commits_count` is the real count. */
export const PUSH_COMMIT_CAP = 20;

const VISIBILITY_LEVEL = { private: 0, internal: 10, public: 20 } as const;

export function hookProject(store: Store, baseUrl: string, p: ProjectRecord): Record<string, unknown> {
  const web = `${baseUrl}/${p.fullPath}`;
  const host = new URL(baseUrl).hostname;
  return {
    id: p.id,
    name: p.name,
    description: null,
    web_url: web,
    avatar_url: null,
    git_ssh_url: `git@${host}:${p.fullPath}.git`,
    git_http_url: `${web}.git`,
    namespace: namespaceHumanName(store, p),
    visibility_level: VISIBILITY_LEVEL[p.visibility],
    path_with_namespace: p.fullPath,
    default_branch: p.defaultBranch,
    ci_config_path: null,
    homepage: web,
    url: `git@${host}:${p.fullPath}.git`,
    ssh_url: `git@${host}:${p.fullPath}.git`,
    http_url: `${web}.git`,
  };
}

function hookCommit(repo: Repository, c: Commit, project: ProjectRecord, baseUrl: string): Record<string, unknown> {
  const parent = c.parent ? repo.commits.get(c.parent) : undefined;
  const diffs = diffSnapshots(parent, c);
  return {
    id: c.sha,
    message: c.message,
    title: c.message.split('\n')[0] ?? '',
    timestamp: isoAt(c.time),
    url: `${baseUrl}/${project.fullPath}/-/commit/${c.sha}`,
    author: { name: c.authorName, email: c.authorEmail },
    added: diffs.filter((d) => d.new_file).map((d) => d.new_path),
    modified: diffs.filter((d) => !d.new_file && !d.deleted_file && !d.renamed_file).map((d) => d.new_path),
    removed: diffs.filter((d) => d.deleted_file).map((d) => d.old_path),
  };
}

function userFields(user: UserRecord): Record<string, unknown> {
  return { user_id: user.id, user_name: user.name, user_username: user.username, user_email: '', user_avatar: null };
}

/**
 * Push Hook for `before..after` on `branch`: the newest 20 commits, listed oldest to newest, with
 * the true `total_commits_count`; zero SHAs for a created (before) or deleted (after) branch.
 */
export function pushPayload(store: Store, baseUrl: string, project: ProjectRecord, branch: string, before: string, after: string, pushed: readonly Commit[], user: UserRecord): Record<string, unknown> {
  const listed = pushed.slice(-PUSH_COMMIT_CAP);
  const hp = hookProject(store, baseUrl, project);
  return {
    object_kind: 'push',
    event_name: 'push',
    before,
    after,
    ref: `refs/heads/${branch}`,
    ref_protected: branch === project.defaultBranch,
    checkout_sha: after === ZERO_SHA ? null : after,
    message: null,
    ...userFields(user),
    project_id: project.id,
    project: hp,
    commits: listed.map((c) => hookCommit(project.repo, c, project, baseUrl)),
    total_commits_count: pushed.length,
    push_options: {},
    repository: { name: project.name, url: hp.url, description: null, homepage: hp.homepage, git_http_url: hp.git_http_url, git_ssh_url: hp.git_ssh_url, visibility_level: hp.visibility_level },
  };
}

export type MergeRequestAction = 'open' | 'reopen' | 'update' | 'close' | 'merge';

export function mergeRequestPayload(store: Store, baseUrl: string, project: ProjectRecord, mr: MergeRequestRecord, action: MergeRequestAction, user: UserRecord, lastCommit: Commit | undefined, oldrev: string | undefined): Record<string, unknown> {
  const source = store.projects.get(mr.sourceProjectId) ?? project;
  return {
    object_kind: 'merge_request',
    event_type: 'merge_request',
    user: { id: user.id, name: user.name, username: user.username, avatar_url: null, email: '[REDACTED]' },
    project: hookProject(store, baseUrl, project),
    object_attributes: {
      id: mr.id,
      iid: mr.iid,
      title: mr.title,
      description: '',
      state: mr.state,
      draft: false,
      source_branch: mr.sourceBranch,
      target_branch: mr.targetBranch,
      source_project_id: mr.sourceProjectId,
      target_project_id: mr.projectId,
      source: hookProject(store, baseUrl, source),
      target: hookProject(store, baseUrl, project),
      created_at: isoAt(mr.createdAt),
      updated_at: isoAt(mr.updatedAt),
      url: `${baseUrl}/${project.fullPath}/-/merge_requests/${mr.iid}`,
      last_commit: lastCommit ? { id: lastCommit.sha, message: lastCommit.message, title: lastCommit.message.split('\n')[0] ?? '', timestamp: isoAt(lastCommit.time), url: `${baseUrl}/${source.fullPath}/-/commit/${lastCommit.sha}`, author: { name: lastCommit.authorName, email: lastCommit.authorEmail } } : null,
      ...(oldrev ? { oldrev } : {}),
      action,
      detailed_merge_status: 'mergeable',
      merge_status: 'can_be_merged',
    },
    labels: [],
    changes: {},
    repository: { name: project.name, url: `${baseUrl}/${project.fullPath}.git`, description: null, homepage: `${baseUrl}/${project.fullPath}` },
  };
}

export type SystemProjectEvent = 'project_create' | 'project_destroy' | 'project_rename' | 'project_transfer' | 'project_update';

export function systemProjectPayload(event: SystemProjectEvent, project: ProjectRecord, owner: UserRecord, oldPath?: string): Record<string, unknown> {
  const at = isoAt(project.lastActivity);
  return {
    created_at: at,
    updated_at: at,
    event_name: event,
    name: project.name,
    owner_email: owner.email,
    owner_name: owner.name,
    owners: [{ name: owner.name, email: owner.email }],
    path: lastSegment(project.fullPath),
    path_with_namespace: project.fullPath,
    project_id: project.id,
    project_namespace_id: project.id + 500_000,
    project_visibility: project.visibility,
    ...(oldPath !== undefined ? { old_path_with_namespace: oldPath } : {}),
  };
}
