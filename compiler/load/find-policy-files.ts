import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../../cli/exit-error.ts';
import type { PolicyKind } from '../validate/schema-registry.ts';

const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** The kind a file name implies: `.aiconfig` / `*.aiconfig`, or `ai-policy.yml` / `*-policy.yml`. */
export function kindFromName(file: string): PolicyKind | undefined {
  const name = basename(file).toLowerCase();
  if (name === '.aiconfig' || name.endsWith('.aiconfig')) return 'aiconfig';
  if (/(?:^|[.-])(?:ai|org)-policy\.ya?ml$/.test(name)) return 'org-policy';
  return undefined;
}

/**
 * Expands the command line's paths: files as given, directories searched (depth-first, sorted) for
 * files whose name says what they are. A path that does not exist is a usage error.
 */
export async function findPolicyFiles(paths: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const given of paths) {
    const path = resolve(cwd, given);
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new UsageError(`aigate validate: cannot read "${given}": no such file or directory`);
    if (info.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) out.push(...(await walk(path)));
    else if (entry.isFile() && kindFromName(entry.name)) out.push(path);
  }
  return out;
}
