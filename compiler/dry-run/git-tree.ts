import { UsageError } from '../../cli/exit-error.ts';
import { runGit, splitNul } from './git.ts';

export interface TreeEntry {
  readonly path: string;
  /** 100644 / 100755 regular file, 120000 symbolic link, 160000 submodule. */
  readonly mode: string;
  readonly sha: string;
  /** Blob size in bytes (a link's size is its target's length); undefined for a submodule. */
  readonly size: number | undefined;
}

/** A ref as a commit id; anything that is not a commit (or looks like an option) is a usage error. */
export async function resolveCommit(command: string, root: string, ref: string): Promise<string> {
  if (ref.startsWith('-') || ref.includes('\0')) throw new UsageError(`aigate ${command}: "${ref}" is not a git ref`);
  const result = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  const sha = result.stdout.toString('utf8').trim();
  if (result.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) throw new UsageError(`aigate ${command}: "${ref}" is not a commit in ${root}`, 'in GitLab CI fetch enough history (GIT_DEPTH: 0) and pass --base $CI_MERGE_REQUEST_DIFF_BASE_SHA');
  return sha;
}

/** Every entry of a commit's tree (what GitLab serves at that commit), with sizes, without a checkout. */
export async function listTree(root: string, commit: string): Promise<TreeEntry[]> {
  const result = await runGit(['ls-tree', '-r', '-z', '-l', '--full-tree', commit], root);
  if (result.code !== 0) throw new Error(`git ls-tree failed: ${result.stderr.trim()}`);
  return splitNul(result.stdout).map(parseTreeLine).filter((e) => e !== undefined);
}

function parseTreeLine(line: string): TreeEntry | undefined {
  const tab = line.indexOf('\t');
  const [mode, , sha, size] = line.slice(0, tab).split(/ +/);
  if (tab < 0 || !mode || !sha) return undefined;
  return { path: line.slice(tab + 1), mode, sha, size: size === undefined || size === '-' ? undefined : Number(size) };
}

/** A file's text at a commit, or undefined when the commit has no such file. */
export async function readAtCommit(root: string, commit: string, path: string): Promise<string | undefined> {
  const listed = await runGit(['ls-tree', '-z', commit, '--', path], root);
  const entry = splitNul(listed.stdout).map(parseTreeLine).find((e) => e?.path === path);
  if (!entry || entry.mode === '160000' || entry.mode === '040000') return undefined;
  const blob = await runGit(['cat-file', 'blob', entry.sha], root);
  if (blob.code !== 0) throw new Error(`git cat-file failed: ${blob.stderr.trim()}`);
  return blob.stdout.toString('utf8');
}

/** What happened to `path` between two commits: added, deleted, modified, renamed to/from, or unchanged. */
export async function pathChange(root: string, base: string, head: string, path: string): Promise<string> {
  const result = await runGit(['diff', '-z', '--name-status', '-M', '--no-ext-diff', base, head, '--'], root);
  const parts = splitNul(result.stdout);
  for (let i = 0; i < parts.length; ) {
    const status = parts[i] ?? '';
    const twoPaths = status.startsWith('R') || status.startsWith('C');
    const from = parts[i + 1] ?? '';
    const to = twoPaths ? (parts[i + 2] ?? '') : from;
    i += twoPaths ? 3 : 2;
    if (status.startsWith('R') && from === path) return `renamed to ${to} (only the root .aiconfig counts: head has none)`;
    if (status.startsWith('R') && to === path) return `renamed from ${from}`;
    if (from !== path) continue;
    if (status === 'A') return 'added';
    if (status === 'D') return 'deleted';
    if (status.startsWith('T')) return 'changed type';
    return 'modified';
  }
  return 'unchanged';
}
