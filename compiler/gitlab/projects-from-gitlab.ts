import type { LoadedOrg } from '../load/load-policies.ts';
import type { ProjectRef, RepoInput } from '../merge/merge-project.ts';
import { createGitLabClient, type GitLabStats } from './gitlab-client.ts';
import { orgDigest } from './org-digest.ts';
import { openProjectCache } from './project-cache.ts';
import { revalidateAll, syncAllProjects, type SyncStats } from './sync-projects.ts';

export interface GitLabSource {
  readonly url: string;
  readonly token: string;
  readonly group?: string;
  /** Where blob ids and compiled inputs are kept between runs (optional). */
  readonly cacheFile?: string;
}

export interface ProjectsFromGitLab {
  readonly projects: (ProjectRef & { readonly id: number; readonly input: RepoInput })[];
  readonly stats: SyncStats & { readonly requests: GitLabStats };
}

/**
 * `aigate compile --from-gitlab`: every project of the instance (or group) with its `.aiconfig`
 * from GitLab, reusing the cache file of the previous run for blobs that did not change.
 */
export async function projectsFromGitLab(source: GitLabSource, org: LoadedOrg, orgText: string): Promise<ProjectsFromGitLab> {
  const client = createGitLabClient({ url: source.url, token: source.token });
  try {
    const cache = await openProjectCache(source.cacheFile);
    const ctx = { client, org, orgDigest: orgDigest(orgText), cache };
    const revalidated = revalidateAll(ctx);
    const stats = await syncAllProjects(ctx, source.group ? { group: source.group } : {});
    stats.revalidated += revalidated;
    await cache.save();
    const projects = [...cache.projects.values()].sort((a, b) => a.id - b.id).map((p) => ({ id: p.id, path: p.path, input: p.input }));
    return { projects, stats: { ...stats, requests: { ...client.stats } } };
  } finally {
    await client.close();
  }
}
