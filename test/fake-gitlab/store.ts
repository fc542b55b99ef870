import type { GroupRecord, ProjectRecord, TokenRecord, UserRecord } from './model.ts';
import { emptyCollabStore, type CollabStore } from './store-collab.ts';
import { lastSegment, parentPath } from './model.ts';

/** The fake's whole world. Keys that GitLab matches case-insensitively are lower-cased. */
export interface Store {
  readonly users: Map<string, UserRecord>;
  readonly tokens: Map<string, TokenRecord>;
  readonly groups: Map<string, GroupRecord>;
  readonly projects: Map<number, ProjectRecord>;
  /** Old full path (lower-cased) → project id. */
  readonly redirects: Map<string, number>;
  /** Merge requests, notes, commit statuses, generic packages. */
  readonly collab: CollabStore;
}

export function emptyStore(): Store {
  return { users: new Map(), tokens: new Map(), groups: new Map(), projects: new Map(), redirects: new Map(), collab: emptyCollabStore() };
}

/** Exact match first, then case-insensitive, as GitLab's Routable does; no redirects. */
export function projectByPath(store: Store, fullPath: string): ProjectRecord | undefined {
  let folded: ProjectRecord | undefined;
  for (const p of store.projects.values()) {
    if (p.fullPath === fullPath) return p;
    if (!folded && p.fullPath.toLowerCase() === fullPath.toLowerCase()) folded = p;
  }
  return folded;
}

/** A project id (number or digit string) or full path. */
export function projectRef(store: Store, idOrPath: number | string): ProjectRecord | undefined {
  if (typeof idOrPath === 'number' || /^\d+$/.test(idOrPath)) return store.projects.get(Number(idOrPath));
  return projectByPath(store, idOrPath);
}

export function redirectedProject(store: Store, fullPath: string): ProjectRecord | undefined {
  const id = store.redirects.get(fullPath.toLowerCase());
  return id === undefined ? undefined : store.projects.get(id);
}

export function userByName(store: Store, username: string): UserRecord | undefined {
  return store.users.get(username.toLowerCase());
}

/** The namespace group and its ancestors, nearest first. */
export function ancestorGroups(store: Store, fullPath: string): GroupRecord[] {
  const out: GroupRecord[] = [];
  for (let path = parentPath(fullPath); path !== ''; path = parentPath(path)) {
    const group = store.groups.get(path.toLowerCase());
    if (group) out.push(group);
  }
  return out;
}

/** Creates missing groups for a namespace path, unless it is a user's personal namespace. */
export function ensureNamespace(store: Store, namespace: string): void {
  if (namespace === '' || (!namespace.includes('/') && userByName(store, namespace))) return;
  ensureNamespace(store, parentPath(namespace));
  if (store.groups.has(namespace.toLowerCase())) return;
  const id = Math.max(0, ...[...store.groups.values()].map((g) => g.id)) + 1;
  store.groups.set(namespace.toLowerCase(), { id, fullPath: namespace, name: lastSegment(namespace), visibility: 'private', members: new Map() });
}

/** User namespaces get ids in their own range so they never collide with group ids. */
export const USER_NAMESPACE_ID_OFFSET = 1_000_000;

export interface NamespaceView {
  id: number;
  name: string;
  path: string;
  kind: 'group' | 'user';
  full_path: string;
  parent_id: number | null;
  avatar_url: string | null;
  web_url: string;
}

export function namespaceView(store: Store, baseUrl: string, project: ProjectRecord): NamespaceView {
  const path = parentPath(project.fullPath);
  const group = store.groups.get(path.toLowerCase());
  const user = group ? undefined : userByName(store, path);
  if (user) {
    return { id: USER_NAMESPACE_ID_OFFSET + user.id, name: user.name, path: user.username, kind: 'user', full_path: user.username, parent_id: null, avatar_url: null, web_url: `${baseUrl}/${user.username}` };
  }
  const parent = store.groups.get(parentPath(path).toLowerCase());
  return { id: group?.id ?? 0, name: group?.name ?? lastSegment(path), path: lastSegment(path), kind: 'group', full_path: group?.fullPath ?? path, parent_id: parent?.id ?? null, avatar_url: null, web_url: `${baseUrl}/groups/${group?.fullPath ?? path}` };
}

/** GitLab's human namespace name: `Acme / Platform` for groups, the user's name for users. */
export function namespaceHumanName(store: Store, project: ProjectRecord): string {
  const path = parentPath(project.fullPath);
  if (!store.groups.has(path.toLowerCase())) {
    const user = userByName(store, path);
    if (user) return user.name;
  }
  const names: string[] = [];
  for (let p = path; p !== ''; p = parentPath(p)) names.unshift(store.groups.get(p.toLowerCase())?.name ?? lastSegment(p));
  return names.join(' / ');
}
