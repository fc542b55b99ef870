import { encodeId, type GitLabClient } from './gitlab-client.ts';

export interface ListedProject {
  readonly id: number;
  readonly path: string;
  /** Null for an empty repository. */
  readonly defaultBranch: string | null;
}

interface ProjectJson {
  id: number;
  path_with_namespace: string;
  default_branch?: string | null;
}

/**
 * Every non-archived project the token can see (or, with `group`, every one below that group),
 * by id in keyset pages of 100. Keyset pages stay correct while projects are created and deleted
 * during the walk, and do not slow down past GitLab's 50,000-row offset limit.
 */
export async function listProjects(client: GitLabClient, options: { group?: string } = {}): Promise<ListedProject[]> {
  const query = { pagination: 'keyset', order_by: 'id', sort: 'asc', per_page: 100, archived: false, simple: true };
  const path = options.group ? `groups/${encodeId(options.group)}/projects` : 'projects';
  const out: ListedProject[] = [];
  const seen = new Set<number>();
  for await (const page of client.pages<ProjectJson>(path, options.group ? { ...query, include_subgroups: true } : query)) {
    for (const p of page) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      out.push({ id: p.id, path: p.path_with_namespace, defaultBranch: p.default_branch ?? null });
    }
  }
  return out;
}
