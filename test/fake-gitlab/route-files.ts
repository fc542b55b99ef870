import { createHash } from 'node:crypto';
import { canReadCode } from './access.ts';
import { blobSha } from './git-objects.ts';
import type { ProjectRecord } from './model.ts';
import { lastSegment } from './model.ts';
import { isReply } from './pagination.ts';
import { findProject } from './project-lookup.ts';
import { bytesReply, forbidden, jsonReply, notFound, type Reply } from './reply.ts';
import { lastCommitTouching, resolveRef } from './repository.ts';
import type { HandlerContext, Route } from './route-types.ts';

/** Header values must be Latin-1; non-ASCII names are percent-encoded rather than dropped. */
const headerSafe = (v: string): string => (/^[\x20-\x7e]*$/.test(v) ? v : encodeURI(v));

interface Blob {
  readonly content: Buffer;
  readonly data: Record<string, string | number | boolean>;
}

function blobData(project: ProjectRecord, ref: string, filePath: string): Blob | Reply {
  const commit = resolveRef(project.repo, ref, project.defaultBranch);
  if (!commit) return notFound('Commit');
  const content = commit.files.get(filePath);
  if (!content) return notFound('File');
  const data = {
    file_name: lastSegment(filePath),
    file_path: filePath,
    size: content.length,
    encoding: 'base64',
    content_sha256: createHash('sha256').update(content).digest('hex'),
    ref,
    blob_id: blobSha(content),
    commit_id: commit.sha,
    last_commit_id: lastCommitTouching(project.repo, commit, filePath).sha,
    execute_filemode: false,
  };
  return { content, data };
}

/** `X-Gitlab-` + each blob_data key, Capitalized-Hyphenated (headers_helpers.rb). */
function blobHeaders(data: Blob['data']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    const name = key.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('-');
    headers[`X-Gitlab-${name}`] = headerSafe(String(value));
  }
  return headers;
}

function readFile(ctx: HandlerContext, id: string, rawRest: string, filePath: string, raw: boolean): Reply {
  const ref = ctx.query.ref;
  // Grape validates parameters before the endpoint looks the project up.
  if (!raw && ref === undefined) return jsonReply(400, { error: 'ref is missing' });
  if (!raw && ref === '') return jsonReply(400, { error: 'ref is empty' });
  const project = findProject(ctx, id, rawRest);
  if (isReply(project)) return project;
  if (!canReadCode(ctx.store, ctx.principal.user, project)) return forbidden();
  const blob = blobData(project, ref || project.defaultBranch, filePath);
  if (isReply(blob)) return blob;
  const headers = blobHeaders(blob.data);
  if (!raw) return jsonReply(200, { ...blob.data, content: blob.content.toString('base64') }, headers);
  const name = lastSegment(filePath);
  const ascii = /^[\x20-\x7e]*$/.test(name) && !name.includes('"');
  return bytesReply(200, blob.content, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Disposition': ascii ? `inline; filename="${name}"` : `inline; filename="${headerSafe(name).replace(/"/g, '')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
    'Cache-Control': 'max-age=0, private, must-revalidate, no-store, no-cache',
    Pragma: 'no-cache',
    Expires: 'Fri, 01 Jan 1990 00:00:00 GMT',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
}

const FILE_SCOPES = ['read_api', 'read_repository'];

/** `GET|HEAD /projects/:id/repository/files/:file_path` (JSON, base64 content; `ref` required). */
export function fileRoute(id: string, rawRest: string, filePath: string): Route {
  return { access: { readScopes: FILE_SCOPES, anonymous: true }, handle: (ctx) => readFile(ctx, id, rawRest, filePath, false) };
}

/** `GET /projects/:id/repository/files/:file_path/raw` (`ref` optional; the one job-token route). */
export function rawFileRoute(id: string, rawRest: string, filePath: string): Route {
  return { access: { readScopes: FILE_SCOPES, anonymous: true, jobToken: true }, handle: (ctx) => readFile(ctx, id, rawRest, filePath, true) };
}
