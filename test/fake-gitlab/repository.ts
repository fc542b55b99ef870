import { commitSha, treeShas } from './git-objects.ts';

export interface Commit {
  readonly sha: string;
  readonly parent: string | null;
  /** Full snapshot: path → bytes. */
  readonly files: ReadonlyMap<string, Buffer>;
  /** Tree id per directory path ('' = root). */
  readonly trees: ReadonlyMap<string, string>;
  readonly message: string;
  /** Epoch seconds. */
  readonly time: number;
  readonly authorName: string;
  readonly authorEmail: string;
}

export interface Repository {
  readonly commits: Map<string, Commit>;
  /** Branch name → head commit sha. */
  readonly branches: Map<string, string>;
}

export const COMMIT_AUTHOR = { name: 'Fake GitLab', email: 'fake-gitlab@example.com' } as const;

export function emptyRepository(): Repository {
  return { commits: new Map(), branches: new Map() };
}

export function addCommit(repo: Repository, parent: string | null, files: ReadonlyMap<string, Buffer>, message: string, time: number): Commit {
  const trees = treeShas(files);
  const fields = { tree: trees.get('') ?? '', parent, authorName: COMMIT_AUTHOR.name, authorEmail: COMMIT_AUTHOR.email, time, message };
  const commit: Commit = { ...fields, sha: commitSha(fields), files, trees };
  repo.commits.set(commit.sha, commit);
  return commit;
}

/**
 * A ref as GitLab accepts it: branch name (`refs/heads/` optional), `HEAD` (default branch), or
 * a full or unique abbreviated (7+ hex) commit sha.
 */
export function resolveRef(repo: Repository, ref: string, defaultBranch: string): Commit | undefined {
  const name = ref === 'HEAD' ? defaultBranch : ref.replace(/^refs\/heads\//, '');
  const head = repo.branches.get(name);
  if (head) return repo.commits.get(head);
  if (!/^[0-9a-f]{7,40}$/i.test(ref)) return undefined;
  const prefix = ref.toLowerCase();
  const matches = [...repo.commits.keys()].filter((sha) => sha.startsWith(prefix));
  return matches.length === 1 ? repo.commits.get(matches[0] ?? '') : undefined;
}

/** First-parent history from `sha`, newest first. */
export function history(repo: Repository, sha: string): Commit[] {
  const out: Commit[] = [];
  for (let c = repo.commits.get(sha); c; c = c.parent ? repo.commits.get(c.parent) : undefined) out.push(c);
  return out;
}

/** The newest commit (from `commit` backwards) that changed `path`: GitLab's `last_commit_id`. */
export function lastCommitTouching(repo: Repository, commit: Commit, path: string): Commit {
  let last = commit;
  const content = commit.files.get(path);
  for (const c of history(repo, commit.sha).slice(1)) {
    const older = c.files.get(path);
    if (older === undefined || content === undefined || !older.equals(content)) break;
    last = c;
  }
  return last;
}

/** Histories are linear per branch, so the merge base is the newest commit of `b` that `a` contains. */
export function mergeBase(repo: Repository, a: Commit, b: Commit): Commit | undefined {
  const inA = new Set(history(repo, a.sha).map((c) => c.sha));
  return history(repo, b.sha).find((c) => inA.has(c.sha));
}
