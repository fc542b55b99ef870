import { projectAccess } from './access.ts';
import { statusEntity } from './entities-collab.ts';
import { EPOCH_SECONDS } from './model.ts';
import { isReply } from './pagination.ts';
import { findProject } from './project-lookup.ts';
import { forbidden, jsonReply, notFound } from './reply.ts';
import { requestParams } from './request-params.ts';
import { resolveRef } from './repository.ts';
import type { Route } from './route-types.ts';

const STATES = ['pending', 'running', 'success', 'failed', 'canceled', 'skipped'];
const DEVELOPER = 30;

/** `POST /projects/:id/statuses/:sha`: Developer+ with `api`; job tokens are not accepted here. */
export function createStatusRoute(id: string, rawRest: string, sha: string): Route {
  return {
    access: { readScopes: [], anonymous: false },
    handle(ctx) {
      const project = findProject(ctx, id, rawRest);
      if (isReply(project)) return project;
      const user = ctx.principal.user;
      if (!user || (!user.admin && projectAccess(ctx.store, user, project).effective < DEVELOPER)) return forbidden();
      const p = requestParams(ctx);
      if (p.state === undefined) return jsonReply(400, { error: 'state is missing' });
      if (!STATES.includes(p.state)) return jsonReply(400, { error: 'state does not have a valid value' });
      const commit = resolveRef(project.repo, sha, project.defaultBranch);
      if (!commit || !commit.sha.startsWith(sha.toLowerCase())) return notFound('Commit');
      for (const [k, max] of [['ref', 255], ['target_url', 255], ['description', 255]] as const) {
        if ((p[k]?.length ?? 0) > max) return jsonReply(400, { message: { [k]: [`is too long (maximum is ${max} characters)`] } });
      }
      const status = {
        id: ctx.store.collab.nextId++,
        projectId: project.id,
        sha: commit.sha,
        ref: p.ref ?? null,
        status: p.state,
        name: p.name ?? p.context ?? 'default',
        targetUrl: p.target_url ?? null,
        description: p.description ?? null,
        author: user.username,
        createdAt: EPOCH_SECONDS + 86_400 + ctx.store.collab.nextId,
      };
      ctx.store.collab.statuses.push(status);
      return jsonReply(201, statusEntity(ctx.store, ctx.baseUrl, status));
    },
  };
}

/** `GET /projects/:id/repository/commits/:sha/statuses` (newest first; `name` filters). */
export function listStatusesRoute(id: string, rawRest: string, sha: string): Route {
  return {
    access: { readScopes: ['read_api'], anonymous: true },
    handle(ctx) {
      const project = findProject(ctx, id, rawRest);
      if (isReply(project)) return project;
      const commit = resolveRef(project.repo, sha, project.defaultBranch);
      if (!commit) return notFound('Commit');
      const list = ctx.store.collab.statuses
        .filter((s) => s.projectId === project.id && s.sha === commit.sha && (ctx.query.name === undefined || s.name === ctx.query.name))
        .reverse();
      return jsonReply(200, list.map((s) => statusEntity(ctx.store, ctx.baseUrl, s)));
    },
  };
}
