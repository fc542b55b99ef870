import type { GitLabClient } from './gitlab-client.ts';

/** GitLab refuses more than 50 `fullPaths` in one `projects` query. */
export const GRAPHQL_BATCH = 50;

/** What GitLab holds at a project's root `.aiconfig` on its default branch. */
export type AiconfigBlob =
  | { readonly kind: 'none' }
  /** The token cannot read the code (or the file is binary): compile to a denying entry. */
  | { readonly kind: 'unreadable'; readonly reason: string; readonly oid?: string }
  | { readonly kind: 'file'; readonly oid: string; readonly text?: string };

interface Node {
  fullPath: string;
  repository: { rootRef: string | null; blobs: { nodes: { path: string; oid: string; rawTextBlob?: string | null }[] } } | null;
}

const query = (withText: boolean) => `query aigateAiconfig($paths: [String!]!, $file: String!) {
  projects(fullPaths: $paths, first: ${GRAPHQL_BATCH}) {
    nodes { fullPath repository { rootRef blobs(paths: [$file]) { nodes { path oid${withText ? ' rawTextBlob' : ''} } } } }
  }
}`;

/**
 * `.aiconfig` blob ids (and, with `withText`, contents) for up to 50 projects in one GraphQL
 * request, keyed by lower-cased full path (GitLab matches paths case-insensitively and returns
 * nodes in its own order). A path missing from the answer was deleted or hidden meanwhile.
 */
export async function fetchAiconfigBatch(client: GitLabClient, paths: readonly string[], withText: boolean, file = '.aiconfig'): Promise<Map<string, AiconfigBlob>> {
  if (paths.length > GRAPHQL_BATCH) throw new RangeError(`at most ${GRAPHQL_BATCH} paths per request`);
  const out = new Map<string, AiconfigBlob>();
  if (paths.length === 0) return out;
  const data = await client.graphql<{ projects: { nodes: Node[] } | null }>(query(withText), { paths, file });
  for (const node of data.projects?.nodes ?? []) {
    const key = node.fullPath.toLowerCase();
    if (!node.repository) {
      out.set(key, { kind: 'unreadable', reason: 'the compiler token cannot read this repository' });
      continue;
    }
    const blob = node.repository.blobs.nodes.find((b) => b.path === file);
    if (!blob) out.set(key, { kind: 'none' });
    else if (withText && (blob.rawTextBlob === null || blob.rawTextBlob === undefined)) out.set(key, { kind: 'unreadable', reason: `${file} is not a text file`, oid: blob.oid });
    else out.set(key, { kind: 'file', oid: blob.oid, ...(withText ? { text: blob.rawTextBlob ?? '' } : {}) });
  }
  return out;
}
