import { canReadCode, projectAccess } from './access.ts';
import { diffSnapshots } from './compare.ts';
import { commitEntity } from './entities-commit.ts';
import { blobSha } from './git-objects.ts';
import type { ProjectRecord } from './model.ts';
import { lastSegment, parentPath } from './model.ts';
import { isReply, offsetPage, pageParams } from './pagination.ts';
import { findProject } from './project-lookup.ts';
import { forbidden, jsonReply, notFound, type Reply } from './reply.ts';
import { history, mergeBase, resolveRef, type Commit } from './repository.ts';
import type { HandlerContext, Route } from './route-types.ts';

type CodeHandler = (ctx: HandlerContext, project: ProjectRecord) => Reply;

/** A read-code route under `/projects/:id/repository`: lookup, then Reporter+ on private projects. */
function codeRoute(id: string, rawRest: string, handle: CodeHandler, check?: (ctx: HandlerContext) => Reply | undefined): Route {
  return {
    access: { readScopes: ['read_api'], anonymous: true },
    handle(ctx) {
      const invalid = check?.(ctx);
      if (invalid) return invalid;
      const project = findProject(ctx, id, rawRest);
      if (isReply(project)) return project;
      return canReadCode(ctx.store, ctx.principal.user, project) ? handle(ctx, project) : forbidden();
    },
  };
}

interface TreeEntry {
  id: string;
  name: string;
  type: 'tree' | 'blob';
  path: string;
  mode: string;
}

function treeEntries(commit: Commit, dir: string, recursive: boolean): TreeEntry[] {
  const inside = (p: string): boolean => (dir === '' ? true : p.startsWith(`${dir}/`));
  const direct = (p: string): boolean => recursive || parentPath(p) === dir;
  const trees: TreeEntry[] = [...commit.trees].filter(([p]) => p !== '' && p !== dir && inside(p) && direct(p)).map(([p, sha]) => ({ id: sha, name: lastSegment(p), type: 'tree', path: p, mode: '040000' }));
  const blobs: TreeEntry[] = [...commit.files].filter(([p]) => inside(p) && direct(p)).map(([p, content]) => ({ id: blobSha(content), name: lastSegment(p), type: 'blob', path: p, mode: '100644' }));
  const byPath = (a: TreeEntry, b: TreeEntry): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  // Directories first, then files, as Gitaly lists a tree; recursive listings are in path order.
  return recursive ? [...trees, ...blobs].sort(byPath) : [...trees.sort(byPath), ...blobs.sort(byPath)];
}

export function treeRoute(id: string, rawRest: string): Route {
  return codeRoute(id, rawRest, (ctx, project) => {
    const paging = pageParams(ctx.query);
    if (isReply(paging)) return paging;
    const commit = resolveRef(project.repo, ctx.query.ref || project.defaultBranch, project.defaultBranch);
    const dir = (ctx.query.path ?? '').replace(/^\/+|\/+$/g, '');
    if (!commit || (dir !== '' && !commit.trees.has(dir))) return notFound('Tree');
    const recursive = ctx.query.recursive === 'true' || ctx.query.recursive === '1';
    const page = offsetPage(treeEntries(commit, dir, recursive), paging, { baseUrl: ctx.baseUrl, rawPath: ctx.rawPath, query: ctx.query });
    return jsonReply(200, page.items, page.headers);
  });
}

function missingParams(ctx: HandlerContext, names: readonly string[]): Reply | undefined {
  const missing = names.filter((n) => ctx.query[n] === undefined);
  return missing.length > 0 ? jsonReply(400, { error: missing.map((n) => `${n} is missing`).join(', ') }) : undefined;
}

/** `compare?from&to[&straight]`: by default from the merge base, like `git diff from...to`. */
export function compareRoute(id: string, rawRest: string): Route {
  return codeRoute(id, rawRest, (ctx, project) => {
    const { from = '', to = '' } = ctx.query;
    const a = resolveRef(project.repo, from, project.defaultBranch);
    const b = resolveRef(project.repo, to, project.defaultBranch);
    if (!a || !b) return notFound('Ref');
    const straight = ctx.query.straight === 'true';
    const base = straight ? a : mergeBase(project.repo, a, b);
    const seen = new Set(history(project.repo, a.sha).map((c) => c.sha));
    const commits = history(project.repo, b.sha).filter((c) => !seen.has(c.sha)).reverse();
    const last = commits[commits.length - 1];
    return jsonReply(200, {
      commit: last ? commitEntity(last, project, ctx.baseUrl) : null,
      commits: commits.map((c) => commitEntity(c, project, ctx.baseUrl)),
      diffs: diffSnapshots(base, b),
      compare_timeout: false,
      compare_same_ref: from === to,
      web_url: `${ctx.baseUrl}/${project.fullPath}/-/compare/${from}...${to}`,
    });
  }, (ctx) => missingParams(ctx, ['from', 'to']));
}

export function commitRoute(id: string, rawRest: string, sha: string): Route {
  return codeRoute(id, rawRest, (ctx, project) => {
    const commit = resolveRef(project.repo, sha, project.defaultBranch);
    if (!commit) return notFound('Commit');
    const parent = commit.parent ? project.repo.commits.get(commit.parent) : undefined;
    const lines = diffSnapshots(parent, commit).flatMap((d) => d.diff.split('\n'));
    const additions = lines.filter((l) => l.startsWith('+')).length;
    const deletions = lines.filter((l) => l.startsWith('-')).length;
    return jsonReply(200, { ...commitEntity(commit, project, ctx.baseUrl), stats: { additions, deletions, total: additions + deletions }, status: null, project_id: project.id, last_pipeline: null });
  });
}

export function branchRoute(id: string, rawRest: string, branch: string): Route {
  return codeRoute(id, rawRest, (ctx, project) => {
    const sha = project.repo.branches.get(branch);
    const commit = sha ? project.repo.commits.get(sha) : undefined;
    if (!commit) return notFound('Branch');
    const isDefault = branch === project.defaultBranch;
    return jsonReply(200, {
      name: branch,
      commit: commitEntity(commit, project, ctx.baseUrl),
      merged: false,
      protected: isDefault,
      developers_can_push: false,
      developers_can_merge: false,
      can_push: ctx.principal.user?.admin === true || projectAccess(ctx.store, ctx.principal.user, project).effective >= 30,
      default: isDefault,
      web_url: `${ctx.baseUrl}/${project.fullPath}/-/tree/${encodeURIComponent(branch)}`,
    });
  });
}
