import { createHash } from 'node:crypto';
import { projectAccess } from './access.ts';
import { EPOCH_SECONDS } from './model.ts';
import { isReply } from './pagination.ts';
import { findProject } from './project-lookup.ts';
import { bytesReply, forbidden, jsonReply } from './reply.ts';
import type { Route } from './route-types.ts';

const NAME = /^[A-Za-z0-9._\-+~]+$/;
const VERSION = /^(\.?[\w+-]+\.?)+$/;
const FILE = /^[A-Za-z0-9._\-+~@/]+$/;
const DEVELOPER = 30;

function invalid(name: string, version: string, file: string): string | undefined {
  if (!NAME.test(name)) return 'package_name is invalid';
  if (!VERSION.test(version)) return 'package_version is invalid';
  if (!FILE.test(file) || /^[~@]|[~@]$/.test(file)) return 'file_name is invalid';
  return undefined;
}

/**
 * `PUT|GET /projects/:id/packages/generic/:package_name/:package_version/:file_name`. An upload
 * with the same name and version adds a file; a download returns the newest file of that name,
 * as GitLab does when duplicates are allowed.
 */
export function genericPackageRoute(id: string, rawRest: string, name: string, version: string, file: string, method: string): Route {
  const read = method === 'GET' || method === 'HEAD';
  return {
    access: read ? { readScopes: ['read_api'], anonymous: true, jobToken: true } : { readScopes: [], anonymous: false, jobToken: true },
    handle(ctx) {
      const problem = invalid(name, version, file);
      if (problem) return jsonReply(400, { error: problem });
      const project = findProject(ctx, id, rawRest);
      if (isReply(project)) return project;
      const key = `${project.id}/${name}/${version}`;
      if (read) {
        const found = ctx.store.collab.packages.get(key)?.filter((f) => f.fileName === file).at(-1);
        if (!found) return jsonReply(404, { message: '404 Package Not Found' });
        return bytesReply(200, found.content, {
          'Content-Type': 'application/octet-stream',
          'Content-Disposition': `attachment; filename="${file.slice(file.lastIndexOf('/') + 1)}"`,
          'X-Checksum-SHA256': createHash('sha256').update(found.content).digest('hex'),
        });
      }
      const user = ctx.principal.user;
      const viaJob = ctx.principal.token?.kind === 'job';
      if (!user || (!viaJob && !user.admin && projectAccess(ctx.store, user, project).effective < DEVELOPER)) return forbidden();
      const files = ctx.store.collab.packages.get(key) ?? [];
      files.push({ id: ctx.store.collab.nextId++, fileName: file, content: Buffer.from(ctx.body), createdAt: EPOCH_SECONDS + ctx.store.collab.nextId });
      ctx.store.collab.packages.set(key, files);
      return jsonReply(201, { message: '201 Created' });
    },
  };
}
