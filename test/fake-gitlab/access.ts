import type { ProjectRecord, UserRecord } from './model.ts';
import { GUEST, REPORTER, parentPath } from './model.ts';
import { ancestorGroups, type Store } from './store.ts';

export interface ProjectAccess {
  /** Direct project membership. */
  readonly project: number | null;
  /** Highest membership in the project's group or any ancestor group. */
  readonly group: number | null;
  readonly effective: number;
}

export function projectAccess(store: Store, user: UserRecord | undefined, project: ProjectRecord): ProjectAccess {
  if (!user) return { project: null, group: null, effective: 0 };
  const key = user.username.toLowerCase();
  const direct = project.members.get(key) ?? null;
  const levels = ancestorGroups(store, project.fullPath).flatMap((g) => g.members.get(key) ?? []);
  const group = levels.length > 0 ? Math.max(...levels) : null;
  return { project: direct, group, effective: Math.max(direct ?? 0, group ?? 0) };
}

/**
 * List responses preload only the immediate group's membership, so inherited access shows as
 * null there (gitlab-api.md §2).
 */
export function immediateGroupAccess(store: Store, user: UserRecord | undefined, project: ProjectRecord): number | null {
  if (!user) return null;
  return store.groups.get(parentPath(project.fullPath).toLowerCase())?.members.get(user.username.toLowerCase()) ?? null;
}

/** GitLab's read_project: public for all, internal for non-external users, else Guest+ (or admin). */
export function canReadProject(store: Store, user: UserRecord | undefined, project: ProjectRecord): boolean {
  if (project.visibility === 'public' || user?.admin) return true;
  if (!user) return false;
  if (project.visibility === 'internal' && !user.external) return true;
  return projectAccess(store, user, project).effective >= GUEST;
}

/** GitLab's read_code / download_code: visible non-private projects, else Reporter+ (or admin). */
export function canReadCode(store: Store, user: UserRecord | undefined, project: ProjectRecord): boolean {
  if (!canReadProject(store, user, project)) return false;
  if (user?.admin || project.visibility === 'public') return true;
  if (project.visibility === 'internal' && user && !user.external) return true;
  return projectAccess(store, user, project).effective >= REPORTER;
}
