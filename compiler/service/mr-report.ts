import type { TreeEntry } from '../dry-run/git-tree.ts';
import { formatDiffMarkdown } from '../dry-run/format-diff-markdown.ts';
import { AICONFIG_FILE } from '../gitlab/aiconfig-input.ts';
import { encodeId, type GitLabClient } from '../gitlab/gitlab-client.ts';
import type { CompileEngine } from './compile-engine.ts';
import { mergeRequestDiff } from './mr-diff.ts';
import { upsertMergeRequestNote } from './mr-note.ts';
import type { ServiceLog } from './service-log.ts';

interface MergeRequestJson {
  iid: number;
  state: string;
  source_branch: string;
  source_project_id: number;
  target_project_id: number;
  web_url: string;
  diff_refs: { base_sha: string | null; head_sha: string | null } | null;
}

export interface MrReporterDeps {
  readonly client: GitLabClient;
  readonly engine: CompileEngine;
  readonly statusName: string;
  readonly log: ServiceLog;
}

async function aiconfigAt(client: GitLabClient, project: number, ref: string): Promise<{ blob: string; text: string } | undefined> {
  const res = await client.request<{ blob_id: string; content: string }>('GET', `projects/${project}/repository/files/${encodeId(AICONFIG_FILE)}`, { query: { ref }, accept: [404] });
  return res.status === 404 ? undefined : { blob: res.body.blob_id, text: Buffer.from(res.body.content, 'base64').toString('utf8') };
}

async function headTree(client: GitLabClient, project: number, ref: string): Promise<TreeEntry[]> {
  const out: TreeEntry[] = [];
  for await (const page of client.pages<{ id: string; type: string; path: string; mode: string }>(`projects/${project}/repository/tree`, { ref, recursive: true, per_page: 100, pagination: 'keyset' })) {
    for (const e of page) if (e.type === 'blob') out.push({ path: e.path, mode: e.mode, sha: e.id, size: undefined });
  }
  return out;
}

/**
 * A merge request's policy report: when its root `.aiconfig` differs between the merge base and the
 * head, the dry-run diff becomes one MR note (updated in place on every push) and a commit status
 * on the head commit (`failed` when the head `.aiconfig` is invalid, else `success` with the
 * verdict). An MR that does not touch `.aiconfig` gets nothing.
 */
export async function reportMergeRequest(deps: MrReporterDeps, projectId: number, iid: number): Promise<'reported' | 'untouched' | 'skipped'> {
  const { client, log } = deps;
  const org = deps.engine.org();
  if (!org) return 'skipped';
  const mr = (await client.request<MergeRequestJson>('GET', `projects/${projectId}/merge_requests/${iid}`)).body;
  const baseSha = mr.diff_refs?.base_sha;
  const headSha = mr.diff_refs?.head_sha;
  if (mr.state !== 'opened' || !baseSha || !headSha) return 'skipped';
  const [base, head] = await Promise.all([aiconfigAt(client, mr.target_project_id, baseSha), aiconfigAt(client, mr.source_project_id, headSha)]);
  if (base?.blob === head?.blob) return 'untouched';
  const project = (await client.request<{ path_with_namespace: string }>('GET', `projects/${projectId}`)).body.path_with_namespace;
  const report = await mergeRequestDiff(org.loaded, project, { label: 'merge base', commit: baseSha, aiconfig: base?.text }, { label: 'head', commit: headSha, aiconfig: head?.text }, await headTree(client, mr.source_project_id, headSha));
  const markdown = [...formatDiffMarkdown(report)].join('');
  const note = await upsertMergeRequestNote(client, projectId, iid, `${markdown}\n<sub>Secrets in file contents are compared by the aigate CI template's dry-run job.</sub>\n`);
  const state = report.verdict === 'invalid' ? 'failed' : 'success';
  await client.request('POST', `projects/${mr.source_project_id}/statuses/${headSha}`, {
    json: { state, name: deps.statusName, ref: mr.source_branch, description: report.summary.slice(0, 255), target_url: `${mr.web_url}#note_${note.id}`.slice(0, 255) },
  });
  log.info('merge request report', { project: projectId, iid, verdict: report.verdict, note: note.id, created: note.created });
  return 'reported';
}
