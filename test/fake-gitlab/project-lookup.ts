import { canReadProject } from './access.ts';
import type { ProjectRecord } from './model.ts';
import { jsonReply, notFound, forbidden, textReply, type Reply } from './reply.ts';
import type { HandlerContext } from './route-types.ts';
import { projectRef, redirectedProject } from './store.ts';

/**
 * GitLab's `find_project!` for `/projects/:id/<rest>`: numeric id or decoded full path (exact,
 * then case-insensitive, never redirecting), then redirect routes for old paths. Invisible and
 * missing are the same 404; a moved project answers 301 (GET/HEAD) or 405; a CI job token may
 * only read its own project.
 */
export function findProject(ctx: HandlerContext, id: string, rawRest: string): ProjectRecord | Reply {
  const user = ctx.principal.user;
  const current = projectRef(ctx.store, id);
  const moved = current ? undefined : /^\d+$/.test(id) ? undefined : redirectedProject(ctx.store, id);
  const project = current ?? moved;
  if (!project || !canReadProject(ctx.store, user, project)) return notFound('Project');
  if (moved) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return jsonReply(405, { message: 'Non GET methods are not allowed for moved projects' });
    const location = `${ctx.baseUrl}/api/v4/projects/${project.id}${rawRest}${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}`;
    return textReply(301, `This resource has been moved permanently to ${location}`, { Location: location });
  }
  const token = ctx.principal.token;
  if (token?.kind === 'job' && token.project?.toLowerCase() !== project.fullPath.toLowerCase()) {
    return forbidden(`403 Forbidden - Authentication by CI/CD job token not allowed from ${token.project ?? '(unknown)'} to ${project.fullPath}.`);
  }
  return project;
}
