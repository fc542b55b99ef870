import { canReadProject, projectAccess } from './access.ts';
import { mergeRequestEntity, noteEntity } from './entities-collab.ts';
import { EPOCH_SECONDS } from './model.ts';
import type { ProjectRecord } from './model.ts';
import { isReply, offsetPage, pageParams } from './pagination.ts';
import { findProject } from './project-lookup.ts';
import { forbidden, jsonReply, notFound, type Reply } from './reply.ts';
import { requestParams } from './request-params.ts';
import type { HandlerContext, Route } from './route-types.ts';
import { mrKey, type MergeRequestRecord } from './store-collab.ts';

type MrHandler = (ctx: HandlerContext, project: ProjectRecord, mr: MergeRequestRecord) => Reply;

/** Project lookup, then the MR by iid (`404 Not found`, as RecordNotFound answers). */
function withMergeRequest(ctx: HandlerContext, id: string, rawRest: string, iid: string, handle: MrHandler): Reply {
  const project = findProject(ctx, id, rawRest);
  if (isReply(project)) return project;
  const mr = /^\d+$/.test(iid) ? ctx.store.collab.mergeRequests.get(mrKey(project.id, Number(iid))) : undefined;
  if (!mr) return jsonReply(404, { message: '404 Not found' });
  return handle(ctx, project, mr);
}

const sourceOf = (ctx: HandlerContext, project: ProjectRecord, mr: MergeRequestRecord): ProjectRecord => ctx.store.projects.get(mr.sourceProjectId) ?? project;

/** `GET /projects/:id/merge_requests/:iid` (with `diff_refs` and `sha`). */
export function mergeRequestRoute(id: string, rawRest: string, iid: string): Route {
  return {
    access: { readScopes: ['read_api'], anonymous: true, jobToken: true },
    handle: (ctx) => withMergeRequest(ctx, id, rawRest, iid, (c, project, mr) => jsonReply(200, mergeRequestEntity(c.store, c.baseUrl, project, sourceOf(c, project, mr), mr))),
  };
}

const nowish = (ctx: HandlerContext): number => EPOCH_SECONDS + 86_400 + (ctx.store.collab.nextId += 1);

/**
 * `GET|POST /projects/:id/merge_requests/:iid/notes`: list (oldest first, offset pagination) or
 * create (`body` required; any member who can read the project, or anyone on a public one).
 */
export function notesRoute(id: string, rawRest: string, iid: string, method: string): Route {
  if (method === 'GET' || method === 'HEAD') {
    return {
      access: { readScopes: ['read_api'], anonymous: true, jobToken: true },
      handle: (ctx) =>
        withMergeRequest(ctx, id, rawRest, iid, (c, project, mr) => {
          const paging = pageParams(c.query);
          if (isReply(paging)) return paging;
          const desc = (c.query.sort ?? 'desc') === 'desc';
          const notes = [...c.store.collab.notes.values()].filter((n) => n.projectId === project.id && n.mrIid === mr.iid).sort((a, b) => (desc ? b.id - a.id : a.id - b.id));
          const page = offsetPage(notes, paging, { baseUrl: c.baseUrl, rawPath: c.rawPath, query: c.query });
          return jsonReply(200, page.items.map((n) => noteEntity(c.store, c.baseUrl, n, mr)), page.headers);
        }),
    };
  }
  return {
    access: { readScopes: [], anonymous: false },
    handle: (ctx) =>
      withMergeRequest(ctx, id, rawRest, iid, (c, project, mr) => {
        const user = c.principal.user;
        if (!user || c.principal.token?.kind === 'job' || !canReadProject(c.store, user, project)) return forbidden();
        const body = requestParams(c).body;
        if (body === undefined || body === '') return jsonReply(400, { error: 'body is missing' });
        const at = nowish(c);
        const note = { id: c.store.collab.nextId++, projectId: project.id, mrIid: mr.iid, body, author: user.username, createdAt: at, updatedAt: at };
        c.store.collab.notes.set(note.id, note);
        return jsonReply(201, noteEntity(c.store, c.baseUrl, note, mr));
      }),
  };
}

/** `GET|PUT /projects/:id/merge_requests/:iid/notes/:note_id`; only the author may edit. */
export function noteRoute(id: string, rawRest: string, iid: string, noteId: string, method: string): Route {
  const read = method === 'GET' || method === 'HEAD';
  return {
    access: read ? { readScopes: ['read_api'], anonymous: true } : { readScopes: [], anonymous: false },
    handle: (ctx) =>
      withMergeRequest(ctx, id, rawRest, iid, (c, project, mr) => {
        const note = c.store.collab.notes.get(Number(noteId));
        if (!note || note.projectId !== project.id || note.mrIid !== mr.iid) return notFound('Note');
        if (read) return jsonReply(200, noteEntity(c.store, c.baseUrl, note, mr));
        const user = c.principal.user;
        const admin = user?.admin === true || (user ? projectAccess(c.store, user, project).effective >= 40 : false);
        if (!user || (user.username.toLowerCase() !== note.author.toLowerCase() && !admin)) return forbidden();
        const body = requestParams(c).body;
        if (body === undefined || body === '') return jsonReply(400, { error: 'body is missing' });
        note.body = body;
        note.updatedAt = nowish(c);
        return jsonReply(200, noteEntity(c.store, c.baseUrl, note, mr));
      }),
  };
}
