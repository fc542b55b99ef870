import type { FakeGitLabFixtures, FileContent, FixtureGroup, FixtureProject, FixtureToken, FixtureUser, Visibility } from './fixture-types.ts';
import type { GroupRecord, Members, ProjectRecord, TokenRecord, UserRecord } from './model.ts';
import { lastSegment, parentPath } from './model.ts';
import { applyChanges, buildProject, membersFrom } from './project-factory.ts';
import { addCommit } from './repository.ts';
import { emptyStore, ensureNamespace, projectByPath, projectRef, userByName, type Store } from './store.ts';

export type ProjectKey = number | string;

/** The mutable world. Every change takes effect on the next request. Unknown names throw. */
export interface FakeGitLabState {
  addUser(user: FixtureUser): void;
  addToken(token: FixtureToken): void;
  revokeToken(value: string): void;
  /** Sets the expiry to yesterday (UTC): the token is rejected as expired from now on. */
  expireToken(value: string): void;
  addGroup(group: FixtureGroup): void;
  addProject(project: FixtureProject): void;
  removeProject(idOrPath: ProjectKey): void;
  /** Moves the project to a new full path; the old path redirects (GET 301, other methods 405). */
  renameProject(idOrPath: ProjectKey, newFullPath: string): void;
  transferProject(idOrPath: ProjectKey, newNamespace: string): void;
  setArchived(idOrPath: ProjectKey, archived: boolean): void;
  /** A project (id or path) or, when no project has that path, a group. */
  setVisibility(projectOrGroup: ProjectKey, visibility: Visibility): void;
  addMember(projectOrGroup: ProjectKey, username: string, accessLevel: number): void;
  removeMember(projectOrGroup: ProjectKey, username: string): void;
  /**
   * One new commit on `branch` (created from the default branch head if missing) whose parent is
   * the branch head; `null` deletes a file. Returns the commit sha.
   */
  commitFiles(idOrPath: ProjectKey, branch: string, changes: Record<string, FileContent | null>, message?: string): string;
  project(idOrPath: ProjectKey): ProjectRecord | undefined;
  group(fullPath: string): GroupRecord | undefined;
  user(username: string): UserRecord | undefined;
  token(value: string): TokenRecord | undefined;
}

export function createState(fixtures: FakeGitLabFixtures): { store: Store; state: FakeGitLabState } {
  const store = emptyStore();
  const state = stateApi(store);
  fixtures.users.forEach((u) => state.addUser(u));
  fixtures.tokens.forEach((t) => state.addToken(t));
  // Parents first, so an explicitly listed parent is not created implicitly with another id.
  [...(fixtures.groups ?? [])].sort((a, b) => a.path.split('/').length - b.path.split('/').length).forEach((g) => state.addGroup(g));
  fixtures.projects.forEach((p) => state.addProject(p));
  return { store, state };
}

function stateApi(store: Store): FakeGitLabState {
  const need = (key: ProjectKey): ProjectRecord => {
    const p = projectRef(store, key);
    if (!p) throw new Error(`fake gitlab: no project ${String(key)}`);
    return p;
  };
  const needToken = (value: string): TokenRecord => {
    const t = store.tokens.get(value);
    if (!t) throw new Error(`fake gitlab: no token ${value}`);
    return t;
  };
  const needUser = (username: string): UserRecord => {
    const u = userByName(store, username);
    if (!u) throw new Error(`fake gitlab: no user ${username}`);
    return u;
  };
  const membersOf = (key: ProjectKey): Members => {
    const target = projectRef(store, key) ?? (typeof key === 'string' ? store.groups.get(key.toLowerCase()) : undefined);
    if (!target) throw new Error(`fake gitlab: no project or group ${String(key)}`);
    return target.members;
  };
  const move = (p: ProjectRecord, newFullPath: string): void => {
    const taken = projectByPath(store, newFullPath);
    if (taken && taken !== p) throw new Error(`fake gitlab: ${newFullPath} is taken by project ${taken.id}`);
    ensureNamespace(store, parentPath(newFullPath));
    if (p.fullPath.toLowerCase() !== newFullPath.toLowerCase()) store.redirects.set(p.fullPath.toLowerCase(), p.id);
    // A path claimed again stops redirecting, as GitLab deletes the redirect route.
    store.redirects.delete(newFullPath.toLowerCase());
    if (p.name === lastSegment(p.fullPath)) p.name = lastSegment(newFullPath);
    p.fullPath = newFullPath;
    p.lastActivity += 1;
  };
  return {
    addUser(u) {
      if (userByName(store, u.username)) throw new Error(`fake gitlab: duplicate user ${u.username}`);
      store.users.set(u.username.toLowerCase(), { id: u.id, username: u.username, name: u.name ?? u.username, email: u.email, admin: u.admin ?? false, bot: u.bot ?? false, external: u.external ?? false, state: u.state ?? 'active' });
    },
    addToken(t) {
      needUser(t.user);
      if (store.tokens.has(t.value)) throw new Error(`fake gitlab: duplicate token ${t.value}`);
      store.tokens.set(t.value, { id: store.tokens.size + 1, value: t.value, kind: t.kind, username: t.user, scopes: [...t.scopes], expiresAt: t.expires_at ?? null, revoked: t.revoked ?? false, project: t.project ?? null, name: t.name ?? `${t.user}-${t.kind}-${store.tokens.size + 1}` });
    },
    revokeToken(value) {
      needToken(value).revoked = true;
    },
    expireToken(value) {
      needToken(value).expiresAt = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    },
    addGroup(g) {
      if (store.groups.has(g.path.toLowerCase())) throw new Error(`fake gitlab: duplicate group ${g.path}`);
      ensureNamespace(store, parentPath(g.path));
      store.groups.set(g.path.toLowerCase(), { id: g.id, fullPath: g.path, name: g.name ?? lastSegment(g.path), visibility: g.visibility ?? 'private', members: membersFrom(g.members) });
    },
    addProject(fixture) {
      if (store.projects.has(fixture.id)) throw new Error(`fake gitlab: duplicate project id ${fixture.id}`);
      if (projectByPath(store, fixture.path)) throw new Error(`fake gitlab: duplicate project path ${fixture.path}`);
      const p = buildProject(store, fixture);
      store.projects.set(p.id, p);
      store.redirects.delete(p.fullPath.toLowerCase());
      for (const old of fixture.redirects ?? []) store.redirects.set(old.toLowerCase(), p.id);
    },
    removeProject(key) {
      const p = need(key);
      store.projects.delete(p.id);
      for (const [path, id] of store.redirects) if (id === p.id) store.redirects.delete(path);
    },
    renameProject(key, newFullPath) {
      move(need(key), newFullPath);
    },
    transferProject(key, newNamespace) {
      const p = need(key);
      move(p, `${newNamespace}/${lastSegment(p.fullPath)}`);
    },
    setArchived(key, archived) {
      need(key).archived = archived;
    },
    setVisibility(key, visibility) {
      const target = projectRef(store, key) ?? (typeof key === 'string' ? store.groups.get(key.toLowerCase()) : undefined);
      if (!target) throw new Error(`fake gitlab: no project or group ${String(key)}`);
      target.visibility = visibility;
    },
    addMember(key, username, accessLevel) {
      needUser(username);
      membersOf(key).set(username.toLowerCase(), accessLevel);
    },
    removeMember(key, username) {
      membersOf(key).delete(username.toLowerCase());
    },
    commitFiles(key, branch, changes, message) {
      const p = need(key);
      const parentSha = p.repo.branches.get(branch) ?? p.repo.branches.get(p.defaultBranch) ?? null;
      const parent = parentSha ? p.repo.commits.get(parentSha) : undefined;
      const time = Math.max(p.lastActivity, ...[...p.repo.commits.values()].map((c) => c.time)) + 60;
      const commit = addCommit(p.repo, parentSha, applyChanges(parent?.files ?? new Map(), changes), message ?? `Update ${Object.keys(changes).join(', ')}`, time);
      p.repo.branches.set(branch, commit.sha);
      p.lastActivity = time;
      return commit.sha;
    },
    project: (key) => projectRef(store, key),
    group: (fullPath) => store.groups.get(fullPath.toLowerCase()),
    user: (username) => userByName(store, username),
    token: (value) => store.tokens.get(value),
  };
}
