/** Merge requests, notes, commit statuses and generic packages: what aigate writes back to GitLab. */

export interface MergeRequestRecord {
  readonly id: number;
  readonly iid: number;
  readonly projectId: number;
  /** Same as projectId unless the MR comes from a fork. */
  readonly sourceProjectId: number;
  readonly sourceBranch: string;
  readonly targetBranch: string;
  title: string;
  state: 'opened' | 'closed' | 'merged';
  readonly author: string;
  readonly createdAt: number;
  updatedAt: number;
}

export interface NoteRecord {
  readonly id: number;
  readonly projectId: number;
  readonly mrIid: number;
  body: string;
  readonly author: string;
  readonly createdAt: number;
  updatedAt: number;
}

export interface CommitStatusRecord {
  readonly id: number;
  readonly projectId: number;
  readonly sha: string;
  readonly ref: string | null;
  readonly status: string;
  readonly name: string;
  readonly targetUrl: string | null;
  readonly description: string | null;
  readonly author: string;
  readonly createdAt: number;
}

export interface PackageFileRecord {
  readonly id: number;
  readonly fileName: string;
  readonly content: Buffer;
  readonly createdAt: number;
}

export interface CollabStore {
  /** `${projectId}!${iid}` → merge request. */
  readonly mergeRequests: Map<string, MergeRequestRecord>;
  readonly notes: Map<number, NoteRecord>;
  readonly statuses: CommitStatusRecord[];
  /** `${projectId}/${name}/${version}` → files, oldest first (same name may repeat). */
  readonly packages: Map<string, PackageFileRecord[]>;
  /** One id sequence for everything created here (GitLab ids are per table; uniqueness is what matters). */
  nextId: number;
}

export function emptyCollabStore(): CollabStore {
  return { mergeRequests: new Map(), notes: new Map(), statuses: [], packages: new Map(), nextId: 1000 };
}

export const mrKey = (projectId: number, iid: number): string => `${projectId}!${iid}`;
