import { AICONFIG_FILE } from './aiconfig-input.ts';
import type { AiconfigBlob } from './fetch-aiconfigs.ts';
import { encodeId } from './gitlab-client.ts';
import { recordProjectBlob, type SyncContext } from './sync-projects.ts';

interface FileJson {
  blob_id: string;
  content: string;
  encoding: string;
  last_commit_id?: string;
}

/**
 * Re-reads one project's `.aiconfig` at `ref` (the pushed commit, or the default branch) with
 * the files API, which also names the commit: what a push webhook needs, in one request.
 * Returns whether the compiled entry changed.
 */
export async function syncProject(ctx: SyncContext, project: { id: number; path: string }, ref = 'HEAD'): Promise<boolean> {
  const res = await ctx.client.request<FileJson | { message?: string }>('GET', `projects/${project.id}/repository/files/${encodeId(AICONFIG_FILE)}`, { query: { ref }, accept: [403, 404] });
  let blob: AiconfigBlob;
  let commit: string | undefined;
  if (res.status === 404) blob = { kind: 'none' };
  else if (res.status === 403) blob = { kind: 'unreadable', reason: 'the compiler token cannot read this repository' };
  else {
    const file = res.body as FileJson;
    const bytes = Buffer.from(file.content, file.encoding === 'base64' ? 'base64' : 'utf8');
    commit = file.last_commit_id;
    blob = bytes.subarray(0, 8000).includes(0) ? { kind: 'unreadable', reason: `${AICONFIG_FILE} is not a text file`, oid: file.blob_id } : { kind: 'file', oid: file.blob_id, text: bytes.toString('utf8') };
  }
  const before = ctx.cache.projects.get(project.id);
  const oldPath = before?.path;
  const stats = { listed: 0, removed: 0, fetched: 0, reused: 0, revalidated: 0 };
  recordProjectBlob(ctx, stats, project, blob, before);
  const after = ctx.cache.projects.get(project.id);
  if (after && commit && after.oid !== null && after.commit !== commit && stats.reused === 0) {
    after.commit = commit;
    if (after.input.kind !== 'none') after.input = { ...after.input, commit };
  }
  return stats.reused === 0 || oldPath !== project.path;
}
