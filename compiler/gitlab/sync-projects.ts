import type { LoadedOrg } from '../load/load-policies.ts';
import { aiconfigInput } from './aiconfig-input.ts';
import { fetchAiconfigBatch, GRAPHQL_BATCH, type AiconfigBlob } from './fetch-aiconfigs.ts';
import type { GitLabClient } from './gitlab-client.ts';
import { listProjects, type ListedProject } from './list-projects.ts';
import { mapLimit } from './map-limit.ts';
import type { CachedProject, ProjectCache } from './project-cache.ts';

export interface SyncContext {
  readonly client: GitLabClient;
  readonly org: LoadedOrg;
  /** Digest of the org policy text: cached inputs validated against another one are re-validated. */
  readonly orgDigest: string;
  readonly cache: ProjectCache;
}

export interface SyncStats {
  listed: number;
  removed: number;
  /** `.aiconfig` texts downloaded. */
  fetched: number;
  /** Entries reused as compiled (same blob id, same org policy). */
  reused: number;
  /** Entries re-validated from the cached text because the org policy changed. */
  revalidated: number;
}

/** Concurrent GraphQL requests during a full sync (GitLab's own API is the limit, not us). */
const CONCURRENCY = 4;

/**
 * Brings the cache in line with GitLab: lists every project, then asks GraphQL for the
 * `.aiconfig` blob of 50 projects per request. Batches with nothing cached fetch the text at
 * once; others ask for blob ids first and download only the files whose id changed. Projects no
 * longer listed (deleted, archived, out of scope) leave the cache.
 */
export async function syncAllProjects(ctx: SyncContext, options: { group?: string } = {}): Promise<SyncStats> {
  const listed = await listProjects(ctx.client, options);
  const stats: SyncStats = { listed: listed.length, removed: 0, fetched: 0, reused: 0, revalidated: 0 };
  const live = new Set(listed.map((p) => p.id));
  for (const id of [...ctx.cache.projects.keys()]) {
    if (!live.has(id)) {
      ctx.cache.projects.delete(id);
      stats.removed++;
    }
  }
  const batches: ListedProject[][] = [];
  for (let i = 0; i < listed.length; i += GRAPHQL_BATCH) batches.push(listed.slice(i, i + GRAPHQL_BATCH));
  await mapLimit(batches, CONCURRENCY, async (batch) => {
    const known = batch.filter((p) => ctx.cache.projects.get(p.id)?.text !== undefined || ctx.cache.projects.get(p.id)?.oid === null);
    const blobs = await fetchAiconfigBatch(ctx.client, batch.map((p) => p.path), known.length === 0);
    const needText: ListedProject[] = [];
    for (const project of batch) {
      const blob = blobs.get(project.path.toLowerCase());
      // Listed by REST but not returned by GraphQL: deleted or hidden in between; the next sync decides.
      if (!blob) continue;
      const cached = ctx.cache.projects.get(project.id);
      if (blob.kind === 'file' && blob.text === undefined) {
        if (cached?.oid === blob.oid && cached.text !== undefined) record(ctx, stats, project, { kind: 'file', oid: blob.oid, text: cached.text }, cached);
        else needText.push(project);
      } else {
        record(ctx, stats, project, blob, cached);
      }
    }
    if (needText.length === 0) return;
    const texts = await fetchAiconfigBatch(ctx.client, needText.map((p) => p.path), true);
    for (const project of needText) {
      const blob = texts.get(project.path.toLowerCase());
      if (blob) record(ctx, stats, project, blob, ctx.cache.projects.get(project.id));
    }
  });
  return stats;
}

/** Stores one project's blob; the compiled input is reused when blob and org policy are unchanged. */
function record(ctx: SyncContext, stats: SyncStats, project: { id: number; path: string }, blob: AiconfigBlob, cached: CachedProject | undefined): void {
  const oid = blob.kind === 'file' ? blob.oid : blob.kind === 'unreadable' ? (blob.oid ?? null) : null;
  const sameBlob = cached !== undefined && cached.oid === oid && (blob.kind !== 'unreadable') === (cached.unreadable === undefined);
  if (sameBlob && cached.orgDigest === ctx.orgDigest) {
    cached.path = project.path;
    stats.reused++;
    return;
  }
  if (sameBlob) stats.revalidated++;
  else if (blob.kind === 'file') stats.fetched++;
  const commit = sameBlob ? cached.commit : undefined;
  ctx.cache.projects.set(project.id, {
    id: project.id,
    path: project.path,
    oid,
    ...(blob.kind === 'file' && blob.text !== undefined ? { text: blob.text } : {}),
    ...(blob.kind === 'unreadable' ? { unreadable: blob.reason } : {}),
    ...(commit ? { commit } : {}),
    input: aiconfigInput(blob, ctx.org, commit ? { commit } : {}),
    orgDigest: ctx.orgDigest,
  });
}

/** Re-validates every cached text against a new org policy (no GitLab calls). */
export function revalidateAll(ctx: SyncContext): number {
  let n = 0;
  for (const cached of ctx.cache.projects.values()) {
    if (cached.orgDigest === ctx.orgDigest) continue;
    const blob: AiconfigBlob = cached.unreadable !== undefined ? { kind: 'unreadable', reason: cached.unreadable, ...(cached.oid ? { oid: cached.oid } : {}) } : cached.oid === null ? { kind: 'none' } : { kind: 'file', oid: cached.oid, text: cached.text ?? '' };
    cached.input = aiconfigInput(blob, ctx.org, cached.commit ? { commit: cached.commit } : {});
    cached.orgDigest = ctx.orgDigest;
    n++;
  }
  return n;
}

export { record as recordProjectBlob };
