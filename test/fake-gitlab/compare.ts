import { isBinary } from './git-objects.ts';
import type { Commit } from './repository.ts';
import { unifiedDiff } from './unified-diff.ts';

export interface DiffEntry {
  diff: string;
  collapsed: boolean;
  too_large: boolean;
  new_path: string;
  old_path: string;
  a_mode: string;
  b_mode: string;
  new_file: boolean;
  renamed_file: boolean;
  deleted_file: boolean;
  generated_file: boolean | null;
}

function entry(oldPath: string, newPath: string, before: Buffer | undefined, after: Buffer | undefined, renamed = false): DiffEntry {
  const binary = (before && isBinary(before)) || (after && isBinary(after));
  const diff = renamed && before && after && before.equals(after) ? ''
    : binary ? `Binary files a/${oldPath} and b/${newPath} differ\n`
    : unifiedDiff(before?.toString('utf8') ?? '', after?.toString('utf8') ?? '');
  return {
    diff,
    collapsed: false,
    too_large: false,
    new_path: newPath,
    old_path: oldPath,
    a_mode: before ? '100644' : '0',
    b_mode: after ? '100644' : '0',
    new_file: !before,
    renamed_file: renamed,
    deleted_file: !after,
    generated_file: null,
  };
}

/** File-level diff of two snapshots; a deleted file whose exact content reappears elsewhere is a rename. */
export function diffSnapshots(base: Commit | undefined, head: Commit): DiffEntry[] {
  const before = base?.files ?? new Map<string, Buffer>();
  const after = head.files;
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const added = paths.filter((p) => !before.has(p) && after.has(p));
  const renames = new Map<string, string>();
  for (const path of paths.filter((p) => before.has(p) && !after.has(p))) {
    const target = added.find((a) => !renames.has(a) && after.get(a)?.equals(before.get(path) ?? Buffer.alloc(0)));
    if (target) renames.set(target, path);
  }
  const renamedFrom = new Set(renames.values());
  const out: DiffEntry[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (renamedFrom.has(path)) continue;
    const from = renames.get(path);
    if (from !== undefined) out.push(entry(from, path, before.get(from), b, true));
    else if (!a || !b || !a.equals(b)) out.push(entry(path, path, a, b));
  }
  return out;
}
