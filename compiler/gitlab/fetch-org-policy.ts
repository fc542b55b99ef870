import { encodeId, type GitLabClient } from './gitlab-client.ts';
import { GitLabError } from './gitlab-error.ts';

export interface OrgPolicySource {
  readonly project: string;
  readonly file: string;
  readonly ref: string | undefined;
}

export interface FetchedOrgPolicy {
  readonly text: string;
  /** The commit the file was read at (the bundle's issuer commit). */
  readonly commit: string;
  readonly blob: string;
}

/** The org policy file from the policy repository, with the commit it was read at. */
export async function fetchOrgPolicy(client: GitLabClient, source: OrgPolicySource): Promise<FetchedOrgPolicy> {
  const res = await client.request<{ content: string; encoding: string; commit_id: string; blob_id: string }>('GET', `projects/${encodeId(source.project)}/repository/files/${encodeId(source.file)}`, { query: { ref: source.ref ?? 'HEAD' }, accept: [404] });
  if (res.status === 404) throw new GitLabError('org_policy_unreadable', `${source.file} not found in ${source.project} at ${source.ref ?? 'the default branch'}`, 404);
  return { text: Buffer.from(res.body.content, 'base64').toString('utf8'), commit: res.body.commit_id, blob: res.body.blob_id };
}
