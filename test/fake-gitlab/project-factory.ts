import type { FileContent, FixtureMember, FixtureProject } from './fixture-types.ts';
import type { Members, ProjectRecord } from './model.ts';
import { OWNER, createdAtOf, lastSegment, parentPath } from './model.ts';
import { addCommit, emptyRepository, type Repository } from './repository.ts';
import { ensureNamespace, userByName, type Store } from './store.ts';

export function toBuffer(content: FileContent): Buffer {
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
}

export function membersFrom(list: readonly FixtureMember[] | undefined): Members {
  return new Map((list ?? []).map((m) => [m.user.toLowerCase(), m.access_level]));
}

/** Builds a project record; creates missing namespace groups and the initial commits. */
export function buildProject(store: Store, fixture: FixtureProject): ProjectRecord {
  ensureNamespace(store, parentPath(fixture.path));
  const defaultBranch = fixture.default_branch ?? 'main';
  const members = membersFrom(fixture.members);
  // GitLab makes the owner of a personal namespace an Owner member of its projects.
  const owner = parentPath(fixture.path);
  if (!owner.includes('/') && !store.groups.has(owner.toLowerCase()) && userByName(store, owner) && !members.has(owner.toLowerCase())) {
    members.set(owner.toLowerCase(), OWNER);
  }
  const created = createdAtOf(fixture.id);
  const repo = initialRepository(fixture, defaultBranch, created);
  return {
    id: fixture.id,
    fullPath: fixture.path,
    name: fixture.name ?? lastSegment(fixture.path),
    visibility: fixture.visibility,
    archived: fixture.archived ?? false,
    defaultBranch,
    members,
    repo,
    lastActivity: Math.max(created, ...[...repo.commits.values()].map((c) => c.time)),
  };
}

function initialRepository(fixture: FixtureProject, defaultBranch: string, created: number): Repository {
  const repo = emptyRepository();
  if (fixture.files === undefined && fixture.branches === undefined) return repo;
  const files = new Map(Object.entries(fixture.files ?? {}).map(([path, content]) => [path, toBuffer(content)] as const));
  const root = addCommit(repo, null, files, 'Initial commit', created);
  repo.branches.set(defaultBranch, root.sha);
  Object.entries(fixture.branches ?? {}).forEach(([branch, changes], i) => {
    const commit = addCommit(repo, root.sha, applyChanges(root.files, changes), `Update ${branch}`, created + 1 + i);
    repo.branches.set(branch, commit.sha);
  });
  return repo;
}

export function applyChanges(files: ReadonlyMap<string, Buffer>, changes: Readonly<Record<string, FileContent | null>>): Map<string, Buffer> {
  const next = new Map(files);
  for (const [path, content] of Object.entries(changes)) {
    if (content === null) next.delete(path);
    else next.set(path, toBuffer(content));
  }
  return next;
}
