import { canReadCode, canReadProject, projectAccess } from './access.ts';
import { blobSha, isBinary } from './git-objects.ts';
import { FieldError, type FieldDef, type Schema } from './graphql-exec.ts';
import type { ProjectRecord, UserRecord } from './model.ts';
import { createdAtOf, isoAt, lastSegment } from './model.ts';
import { resolveRef } from './repository.ts';
import { namespaceHumanName, type Store } from './store.ts';

export interface GqlContext {
  readonly store: Store;
  readonly baseUrl: string;
  readonly user: UserRecord | undefined;
}

type Args = Readonly<Record<string, unknown>>;

/** Wraps a typed resolver; the executor only ever passes the parent this type resolves from. */
function field<P>(type: string | null, resolve: (parent: P, args: Args, ctx: GqlContext) => unknown, list = false): FieldDef<GqlContext> {
  return { type, list, resolve: resolve as FieldDef<GqlContext>['resolve'] };
}

const scalar = <P>(resolve: (parent: P, args: Args, ctx: GqlContext) => unknown): FieldDef<GqlContext> => field<P>(null, resolve);

const MAX_FULL_PATHS = 50;
const MAX_PAGE_SIZE = 100;

interface Connection<T> {
  readonly nodes: readonly T[];
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  readonly count: number;
}

interface BlobNode {
  readonly project: ProjectRecord;
  readonly ref: string;
  readonly path: string;
  readonly content: Buffer;
}

export const cursorFor = (id: number): string => Buffer.from(JSON.stringify({ id: String(id) })).toString('base64');

function cursorId(cursor: unknown): number {
  if (typeof cursor !== 'string') return Infinity;
  try {
    return Number((JSON.parse(Buffer.from(cursor, 'base64').toString()) as { id?: string }).id ?? Infinity);
  } catch {
    throw new FieldError('Invalid cursor provided');
  }
}

const asList = (v: unknown): string[] => (v === null || v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String));

/** `projects(fullPaths:)`: invisible and unknown paths are silently omitted; order is id descending. */
function projects(_: unknown, args: Args, ctx: GqlContext): Connection<ProjectRecord> {
  const wanted = args.fullPaths === null || args.fullPaths === undefined ? undefined : asList(args.fullPaths);
  if (wanted && wanted.length > MAX_FULL_PATHS) throw new FieldError(`You cannot provide more than ${MAX_FULL_PATHS} full_paths`);
  const lower = new Set(wanted?.map((p) => p.toLowerCase()));
  const search = typeof args.search === 'string' ? args.search.toLowerCase() : undefined;
  const all = [...ctx.store.projects.values()]
    .filter((p) => !wanted || lower.has(p.fullPath.toLowerCase()))
    .filter((p) => canReadProject(ctx.store, ctx.user, p))
    .filter((p) => args.membership !== true || projectAccess(ctx.store, ctx.user, p).effective > 0)
    .filter((p) => !search || p.fullPath.toLowerCase().includes(search) || p.name.toLowerCase().includes(search))
    .sort((a, b) => b.id - a.id);
  const after = cursorId(args.after);
  const rest = all.filter((p) => p.id < after);
  const first = Math.min(MAX_PAGE_SIZE, Math.max(0, typeof args.first === 'number' ? args.first : MAX_PAGE_SIZE));
  const nodes = rest.slice(0, first);
  const start = nodes[0];
  const end = nodes[nodes.length - 1];
  return {
    nodes,
    pageInfo: { hasNextPage: rest.length > first, hasPreviousPage: rest.length < all.length, startCursor: start ? cursorFor(start.id) : null, endCursor: end ? cursorFor(end.id) : null },
    count: all.length,
  };
}

function blobs(project: ProjectRecord, args: Args): { nodes: BlobNode[] } {
  const ref = typeof args.ref === 'string' ? args.ref : project.defaultBranch;
  const commit = resolveRef(project.repo, ref, project.defaultBranch);
  if (!commit) return { nodes: [] };
  // Missing files are omitted, not reported.
  const nodes = asList(args.paths).flatMap((path) => {
    const content = commit.files.get(path);
    return content ? [{ project, ref, path, content }] : [];
  });
  return { nodes };
}

const connection = (nodeType: string): Record<string, FieldDef<GqlContext>> => ({
  nodes: field<Connection<unknown>>(nodeType, (c) => c.nodes, true),
  edges: field<Connection<{ id: number }>>(`${nodeType}Edge`, (c) => c.nodes.map((node) => ({ node, cursor: cursorFor(node.id) })), true),
  pageInfo: field<Connection<unknown>>('PageInfo', (c) => c.pageInfo),
  count: scalar<Connection<unknown>>((c) => c.count),
});

export const schema: Schema<GqlContext> = {
  Query: {
    projects: field('ProjectConnection', projects),
    project: field<unknown>('Project', (_, args, ctx) => {
      const path = String(args.fullPath ?? '').toLowerCase();
      return [...ctx.store.projects.values()].find((p) => p.fullPath.toLowerCase() === path && canReadProject(ctx.store, ctx.user, p)) ?? null;
    }),
    currentUser: field<unknown>('UserCore', (_, __, ctx) => ctx.user ?? null),
  },
  Mutation: {},
  ProjectConnection: connection('Project'),
  ProjectEdge: { node: field<{ node: unknown }>('Project', (e) => e.node), cursor: scalar<{ cursor: string }>((e) => e.cursor) },
  PageInfo: Object.fromEntries(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor'].map((k) => [k, scalar<Record<string, unknown>>((p) => p[k])])),
  Project: {
    id: scalar<ProjectRecord>((p) => `gid://gitlab/Project/${p.id}`),
    fullPath: scalar<ProjectRecord>((p) => p.fullPath),
    path: scalar<ProjectRecord>((p) => lastSegment(p.fullPath)),
    name: scalar<ProjectRecord>((p) => p.name),
    nameWithNamespace: scalar<ProjectRecord>((p, _, ctx) => `${namespaceHumanName(ctx.store, p)} / ${p.name}`),
    description: scalar<ProjectRecord>(() => null),
    visibility: scalar<ProjectRecord>((p) => p.visibility),
    archived: scalar<ProjectRecord>((p) => p.archived),
    createdAt: scalar<ProjectRecord>((p) => isoAt(createdAtOf(p.id))),
    lastActivityAt: scalar<ProjectRecord>((p) => isoAt(p.lastActivity)),
    webUrl: scalar<ProjectRecord>((p, _, ctx) => `${ctx.baseUrl}/${p.fullPath}`),
    httpUrlToRepo: scalar<ProjectRecord>((p, _, ctx) => `${ctx.baseUrl}/${p.fullPath}.git`),
    // The Repository type is authorized with read_code: without it the field is just null.
    repository: field<ProjectRecord>('Repository', (p, _, ctx) => (canReadCode(ctx.store, ctx.user, p) ? p : null)),
  },
  Repository: {
    rootRef: scalar<ProjectRecord>((p) => (p.repo.branches.has(p.defaultBranch) ? p.defaultBranch : null)),
    empty: scalar<ProjectRecord>((p) => p.repo.commits.size === 0),
    exists: scalar<ProjectRecord>(() => true),
    blobs: field<ProjectRecord>('RepositoryBlobConnection', blobs),
  },
  RepositoryBlobConnection: { nodes: field<{ nodes: BlobNode[] }>('RepositoryBlob', (c) => c.nodes, true) },
  RepositoryBlob: {
    id: scalar<BlobNode>((b) => `gid://gitlab/Blob/${blobSha(b.content)}`),
    oid: scalar<BlobNode>((b) => blobSha(b.content)),
    path: scalar<BlobNode>((b) => b.path),
    name: scalar<BlobNode>((b) => lastSegment(b.path)),
    // BigInt fields serialize as strings in graphql-ruby.
    size: scalar<BlobNode>((b) => String(b.content.length)),
    rawSize: scalar<BlobNode>((b) => String(b.content.length)),
    rawBlob: scalar<BlobNode>((b) => b.content.toString('utf8')),
    rawTextBlob: scalar<BlobNode>((b) => (isBinary(b.content) ? null : b.content.toString('utf8'))),
    webPath: scalar<BlobNode>((b) => `/${b.project.fullPath}/-/blob/${b.ref}/${b.path}`),
    mode: scalar<BlobNode>(() => '100644'),
    lfsOid: scalar<BlobNode>(() => null),
    storedExternally: scalar<BlobNode>(() => false),
  },
  UserCore: {
    id: scalar<UserRecord>((u) => `gid://gitlab/User/${u.id}`),
    username: scalar<UserRecord>((u) => u.username),
    name: scalar<UserRecord>((u) => u.name),
    bot: scalar<UserRecord>((u) => u.bot),
    publicEmail: scalar<UserRecord>(() => null),
    webUrl: scalar<UserRecord>((u, _, ctx) => `${ctx.baseUrl}/${u.username}`),
  },
};
