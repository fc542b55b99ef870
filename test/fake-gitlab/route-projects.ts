import { canReadProject, projectAccess } from './access.ts';
import { basicProject, fullProject } from './entities-project.ts';
import type { ProjectRecord } from './model.ts';
import { createdAtOf, lastSegment, parentPath } from './model.ts';
import { isReply, keysetPage, offsetPage, pageParams } from './pagination.ts';
import { findProject } from './project-lookup.ts';
import { jsonReply, type Reply } from './reply.ts';
import type { HandlerContext, Route } from './route-types.ts';

const ORDER_KEYS: Readonly<Record<string, (p: ProjectRecord) => number | string>> = {
  id: (p) => p.id,
  name: (p) => p.name.toLowerCase(),
  path: (p) => lastSegment(p.fullPath).toLowerCase(),
  created_at: (p) => createdAtOf(p.id),
  updated_at: (p) => p.lastActivity,
  last_activity_at: (p) => p.lastActivity,
  similarity: (p) => p.id,
  star_count: () => 0,
};

/** Grape's Boolean: true/false/1/0; anything else is a 400. */
function bool(query: Readonly<Record<string, string>>, name: string): boolean | undefined | Reply {
  const v = query[name];
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return jsonReply(400, { error: `${name} is invalid` });
}

function listProjects(ctx: HandlerContext): Reply {
  const { query: q, store } = ctx;
  const user = ctx.principal.user;
  const paging = pageParams(q);
  if (isReply(paging)) return paging;
  const flags: Record<string, boolean | undefined> = {};
  for (const name of ['membership', 'archived', 'simple', 'owned', 'search_namespaces']) {
    const v = bool(q, name);
    if (isReply(v)) return v;
    flags[name] = v;
  }
  const orderBy = q.order_by ?? 'created_at';
  const orderKey = ORDER_KEYS[orderBy];
  if (!orderKey) return jsonReply(400, { error: 'order_by does not have a valid value' });
  const sort = q.sort ?? 'desc';
  if (sort !== 'asc' && sort !== 'desc') return jsonReply(400, { error: 'sort does not have a valid value' });
  const minAccess = q.min_access_level === undefined ? undefined : Number(q.min_access_level);
  if (minAccess !== undefined && ![5, 10, 15, 20, 30, 40, 50].includes(minAccess)) return jsonReply(400, { error: 'min_access_level does not have a valid value' });
  if (q.visibility !== undefined && !['private', 'internal', 'public'].includes(q.visibility)) return jsonReply(400, { error: 'visibility does not have a valid value' });
  const keyset = q.pagination === 'keyset';
  if (keyset && orderBy !== 'id') return jsonReply(405, { message: 'Keyset pagination is not yet available for this type of request' });

  const search = q.search?.toLowerCase();
  const level = (p: ProjectRecord): number => projectAccess(store, user, p).effective;
  const items = [...store.projects.values()]
    .filter((p) => canReadProject(store, user, p))
    // Membership filters mean nothing to anonymous callers; GitLab ignores them.
    .filter((p) => !user || !flags.membership || level(p) > 0)
    .filter((p) => !user || minAccess === undefined || level(p) >= minAccess)
    .filter((p) => !user || !flags.owned || (parentPath(p.fullPath).toLowerCase() === user.username.toLowerCase() && !store.groups.has(user.username.toLowerCase())))
    .filter((p) => flags.archived === undefined || p.archived === flags.archived)
    .filter((p) => q.visibility === undefined || p.visibility === q.visibility)
    .filter((p) => !search || p.name.toLowerCase().includes(search) || lastSegment(p.fullPath).toLowerCase().includes(search) || (flags.search_namespaces === true && p.fullPath.toLowerCase().includes(search)))
    .filter((p) => q.id_after === undefined || p.id > Number(q.id_after))
    .filter((p) => q.id_before === undefined || p.id < Number(q.id_before))
    .sort((a, b) => {
      const ka = orderKey(a);
      const kb = orderKey(b);
      const c = ka < kb ? -1 : ka > kb ? 1 : 0;
      // GitLab adds `id` as the tie-breaker, in the same direction.
      return (sort === 'asc' ? 1 : -1) * (c !== 0 ? c : a.id - b.id);
    });
  const base = { baseUrl: ctx.baseUrl, rawPath: ctx.rawPath, query: q };
  const page = keyset ? keysetPage(items, paging.perPage, sort === 'desc', base) : offsetPage(items, paging, base);
  const simple = !user || flags.simple === true;
  const body = page.items.map((p) => (simple || !user ? basicProject(store, ctx.baseUrl, p) : fullProject(store, ctx.baseUrl, p, user, 'list')));
  return jsonReply(200, body, page.headers);
}

export const listProjectsRoute: Route = {
  access: { readScopes: ['read_api'], anonymous: true },
  handle: listProjects,
};

export function showProjectRoute(id: string, rawRest: string): Route {
  return {
    access: { readScopes: ['read_api'], anonymous: true },
    handle(ctx) {
      const found = findProject(ctx, id, rawRest);
      if (isReply(found)) return found;
      const user = ctx.principal.user;
      return jsonReply(200, user ? fullProject(ctx.store, ctx.baseUrl, found, user, 'single') : basicProject(ctx.store, ctx.baseUrl, found));
    },
  };
}

/**
 * Writes under `/projects/:id` that the fake does not implement: the project lookup still runs,
 * so a moved project answers 405 and an invisible one 404 Project Not Found.
 */
export function projectWriteRoute(id: string, rawRest: string): Route {
  return {
    access: { readScopes: [], anonymous: false },
    handle(ctx) {
      const found = findProject(ctx, id, rawRest);
      return isReply(found) ? found : jsonReply(404, { error: '404 Not Found' });
    },
  };
}
