import { avatarUrl } from './entities-user.ts';
import type { ProjectRecord } from './model.ts';
import { isoAt } from './model.ts';
import { mergeBase, resolveRef } from './repository.ts';
import type { CommitStatusRecord, MergeRequestRecord, NoteRecord } from './store-collab.ts';
import { userByName, type Store } from './store.ts';

function author(store: Store, baseUrl: string, username: string): Record<string, unknown> {
  const user = userByName(store, username);
  return { id: user?.id ?? 0, username, name: user?.name ?? username, state: user?.state ?? 'active', locked: false, avatar_url: avatarUrl(user?.email ?? username), web_url: `${baseUrl}/${username}` };
}

/** The diff refs GitLab keeps for an MR's latest version: computed from the branches now. */
export function diffRefs(target: ProjectRecord, source: ProjectRecord, mr: MergeRequestRecord): { base_sha: string | null; head_sha: string | null; start_sha: string | null } {
  const head = resolveRef(source.repo, mr.sourceBranch, source.defaultBranch);
  const start = resolveRef(target.repo, mr.targetBranch, target.defaultBranch);
  // A fork shares history with its target in GitLab; the fake only computes bases within one repository.
  const base = head && start && source === target ? mergeBase(target.repo, start, head) : start;
  return { base_sha: base?.sha ?? null, head_sha: head?.sha ?? null, start_sha: start?.sha ?? null };
}

export function mergeRequestEntity(store: Store, baseUrl: string, target: ProjectRecord, source: ProjectRecord, mr: MergeRequestRecord): Record<string, unknown> {
  const refs = diffRefs(target, source, mr);
  return {
    id: mr.id,
    iid: mr.iid,
    project_id: mr.projectId,
    title: mr.title,
    description: '',
    state: mr.state,
    created_at: isoAt(mr.createdAt),
    updated_at: isoAt(mr.updatedAt),
    target_branch: mr.targetBranch,
    source_branch: mr.sourceBranch,
    source_project_id: mr.sourceProjectId,
    target_project_id: mr.projectId,
    author: author(store, baseUrl, mr.author),
    draft: false,
    work_in_progress: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: 'mergeable',
    sha: refs.head_sha,
    diff_refs: refs,
    web_url: `${baseUrl}/${target.fullPath}/-/merge_requests/${mr.iid}`,
  };
}

export function noteEntity(store: Store, baseUrl: string, note: NoteRecord, mr: MergeRequestRecord): Record<string, unknown> {
  return {
    id: note.id,
    type: null,
    body: note.body,
    attachment: null,
    author: author(store, baseUrl, note.author),
    created_at: isoAt(note.createdAt),
    updated_at: isoAt(note.updatedAt),
    system: false,
    noteable_id: mr.id,
    noteable_type: 'MergeRequest',
    project_id: note.projectId,
    noteable_iid: mr.iid,
    resolvable: false,
    confidential: false,
    internal: false,
    imported: false,
    imported_from: 'none',
    commands_changes: {},
  };
}

export function statusEntity(store: Store, baseUrl: string, s: CommitStatusRecord): Record<string, unknown> {
  const at = isoAt(s.createdAt);
  const done = !['pending', 'running'].includes(s.status);
  return {
    id: s.id,
    sha: s.sha,
    ref: s.ref,
    status: s.status,
    name: s.name,
    target_url: s.targetUrl,
    description: s.description,
    created_at: at,
    started_at: s.status === 'pending' ? null : at,
    finished_at: done ? at : null,
    allow_failure: false,
    coverage: null,
    pipeline_id: null,
    author: author(store, baseUrl, s.author),
  };
}
