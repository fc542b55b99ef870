import { readdirSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { gitTopLevel, runGit, splitNul } from './git.ts';

export interface FileList {
  /** The repository root (real path): `.aiconfig` lives here and paths are relative to it. */
  readonly root: string;
  readonly mode: 'git' | 'walk';
  /** Repository-relative paths with `/`, sorted. */
  readonly paths: readonly string[];
}

/**
 * The files a scan covers: in a git checkout, the tracked files (what GitLab serves, so what an
 * assistant can ask the proxy for), relative to the top of the work tree even when `dir` is a
 * subdirectory; otherwise every entry of a directory walk. The walk lists symbolic links as
 * entries and never descends into them, and skips `.git`.
 */
export async function listFiles(dir: string): Promise<FileList> {
  const top = await gitTopLevel(dir);
  if (top) {
    const listed = await runGit(['ls-files', '-z', '--full-name'], dir);
    if (listed.code === 0) return { root: await realpath(top), mode: 'git', paths: splitNul(listed.stdout).sort(compare) };
  }
  const root = await realpath(dir);
  const paths: string[] = [];
  walk(root, '', paths);
  return { root, mode: 'walk', paths: paths.sort(compare) };
}

/** Synchronous: thousands of small readdir calls are faster without thread-pool round trips. */
function walk(root: string, rel: string, out: string[]): void {
  const entries = readdirSync(rel ? join(root, rel) : root, { withFileTypes: true });
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.name === '.git') continue;
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    // Dirent types come from lstat-like information: a symlink to a directory is a symlink here.
    if (entry.isDirectory()) dirs.push(path);
    else out.push(path);
  }
  for (const d of dirs) walk(root, d, out);
}

/** Byte order like git's, independent of locale. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
