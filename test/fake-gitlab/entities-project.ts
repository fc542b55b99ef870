import { immediateGroupAccess, projectAccess } from './access.ts';
import type { ProjectRecord, UserRecord } from './model.ts';
import { createdAtOf, isoAt, parentPath } from './model.ts';
import { namespaceHumanName, namespaceView, userByName, type Store } from './store.ts';

/** BasicProjectDetails: `simple=true` and anonymous callers; no archived/visibility/permissions. */
export function basicProject(store: Store, baseUrl: string, p: ProjectRecord): Record<string, unknown> {
  const web = `${baseUrl}/${p.fullPath}`;
  const host = new URL(baseUrl).hostname;
  const head = p.repo.branches.get(p.defaultBranch);
  const readme = head && p.repo.commits.get(head)?.files.has('README.md') ? `${web}/-/blob/${p.defaultBranch}/README.md` : null;
  return {
    id: p.id,
    description: null,
    name: p.name,
    name_with_namespace: `${namespaceHumanName(store, p)} / ${p.name}`,
    path: p.fullPath.slice(p.fullPath.lastIndexOf('/') + 1),
    path_with_namespace: p.fullPath,
    created_at: isoAt(createdAtOf(p.id)),
    default_branch: p.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `git@${host}:${p.fullPath}.git`,
    http_url_to_repo: `${web}.git`,
    web_url: web,
    readme_url: readme,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: isoAt(p.lastActivity),
    namespace: namespaceView(store, baseUrl, p),
  };
}

/**
 * ProjectWithAccess (authenticated callers). In lists, `group_access` shows only membership of
 * the immediate group, as GitLab's preloading does; the single-project view includes ancestors.
 */
export function fullProject(store: Store, baseUrl: string, p: ProjectRecord, user: UserRecord, mode: 'single' | 'list'): Record<string, unknown> {
  const access = projectAccess(store, user, p);
  const groupLevel = mode === 'single' ? access.group : immediateGroupAccess(store, user, p);
  const level = (n: number | null): Record<string, number> | null => (n === null ? null : { access_level: n, notification_level: 3 });
  const owner = namespaceView(store, baseUrl, p).kind === 'user' ? userByName(store, parentPath(p.fullPath)) : undefined;
  return {
    ...basicProject(store, baseUrl, p),
    container_registry_image_prefix: `${new URL(baseUrl).host}/${p.fullPath.toLowerCase()}`,
    _links: {
      self: `${baseUrl}/api/v4/projects/${p.id}`,
      issues: `${baseUrl}/api/v4/projects/${p.id}/issues`,
      merge_requests: `${baseUrl}/api/v4/projects/${p.id}/merge_requests`,
      repo_branches: `${baseUrl}/api/v4/projects/${p.id}/repository/branches`,
      labels: `${baseUrl}/api/v4/projects/${p.id}/labels`,
      events: `${baseUrl}/api/v4/projects/${p.id}/events`,
      members: `${baseUrl}/api/v4/projects/${p.id}/members`,
      cluster_agents: `${baseUrl}/api/v4/projects/${p.id}/cluster_agents`,
    },
    packages_enabled: true,
    empty_repo: p.repo.commits.size === 0,
    archived: p.archived,
    visibility: p.visibility,
    ...(owner ? { owner: { id: owner.id, username: owner.username, name: owner.name, state: owner.state, web_url: `${baseUrl}/${owner.username}` } } : {}),
    resolve_outdated_diff_discussions: false,
    issues_enabled: true,
    merge_requests_enabled: true,
    wiki_enabled: true,
    jobs_enabled: true,
    snippets_enabled: true,
    container_registry_enabled: true,
    repository_access_level: 'enabled',
    merge_requests_access_level: 'enabled',
    builds_access_level: 'enabled',
    creator_id: owner?.id ?? 1,
    import_status: 'none',
    open_issues_count: 0,
    ci_default_git_depth: 20,
    ci_config_path: null,
    public_jobs: true,
    shared_with_groups: [],
    only_allow_merge_if_pipeline_succeeds: false,
    request_access_enabled: true,
    permissions: { project_access: level(access.project), group_access: level(groupLevel) },
  };
}
