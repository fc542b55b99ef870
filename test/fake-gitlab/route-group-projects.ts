import { canReadProject, projectAccess } from './access.ts';
import { basicProject, fullProject } from './entities-project.ts';
import type { GroupRecord } from './model.ts';
import { parentPath } from './model.ts';
import { isReply, keysetPage, offsetPage, pageParams } from './pagination.ts';
import { jsonReply, notFound } from './reply.ts';
import type { HandlerContext, Route } from './route-types.ts';

function findGroup(ctx: HandlerContext, id: string): GroupRecord | undefined {
  const groups = [...ctx.store.groups.values()];
  const group = /^\d+$/.test(id) ? groups.find((g) => g.id === Number(id)) : ctx.store.groups.get(id.toLowerCase());
  if (!group) return undefined;
  const user = ctx.principal.user;
  if (group.visibility === 'public' || user?.admin || (group.visibility === 'internal' && user && !user.external)) return group;
  // Members of the group or of anything below it can see it.
  const key = user?.username.toLowerCase();
  const below = (path: string) => path.toLowerCase() === group.fullPath.toLowerCase() || path.toLowerCase().startsWith(`${group.fullPath.toLowerCase()}/`);
  const member = key !== undefined && (groups.some((g) => below(g.fullPath) && g.members.has(key)) || [...ctx.store.projects.values()].some((p) => below(p.fullPath) && p.members.has(key)));
  return member ? group : undefined;
}

/**
 * `GET /groups/:id/projects` with `include_subgroups`, `archived`, `simple`, and keyset pagination
 * (`pagination=keyset&order_by=id`) as on `/projects`. Invisible groups are 404 Group Not Found.
 */
export function groupProjectsRoute(id: string): Route {
  return {
    access: { readScopes: ['read_api'], anonymous: true },
    handle(ctx) {
      const group = findGroup(ctx, id);
      if (!group) return notFound('Group');
      const q = ctx.query;
      const paging = pageParams(q);
      if (isReply(paging)) return paging;
      const orderBy = q.order_by ?? 'created_at';
      const keyset = q.pagination === 'keyset';
      if (keyset && orderBy !== 'id') return jsonReply(405, { message: 'Keyset pagination is not yet available for this type of request' });
      const sort = q.sort ?? 'desc';
      const deep = q.include_subgroups === 'true';
      const prefix = `${group.fullPath.toLowerCase()}/`;
      const user = ctx.principal.user;
      const items = [...ctx.store.projects.values()]
        .filter((p) => (deep ? p.fullPath.toLowerCase().startsWith(prefix) : parentPath(p.fullPath).toLowerCase() === group.fullPath.toLowerCase()))
        .filter((p) => canReadProject(ctx.store, user, p))
        .filter((p) => q.archived === undefined || p.archived === (q.archived === 'true'))
        .filter((p) => q.id_after === undefined || p.id > Number(q.id_after))
        .filter((p) => q.id_before === undefined || p.id < Number(q.id_before))
        .filter((p) => q.min_access_level === undefined || (user !== undefined && projectAccess(ctx.store, user, p).effective >= Number(q.min_access_level)))
        // Only id ordering is modelled; created_at follows id in the fake anyway.
        .sort((a, b) => (sort === 'asc' ? a.id - b.id : b.id - a.id));
      const base = { baseUrl: ctx.baseUrl, rawPath: ctx.rawPath, query: q };
      const page = keyset ? keysetPage(items, paging.perPage, sort === 'desc', base) : offsetPage(items, paging, base);
      const simple = !user || q.simple === 'true';
      return jsonReply(200, page.items.map((p) => (simple || !user ? basicProject(ctx.store, ctx.baseUrl, p) : fullProject(ctx.store, ctx.baseUrl, p, user, 'list'))), page.headers);
    },
  };
}
