import { realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export type LinkTarget = { readonly kind: 'inside'; readonly path: string; readonly real: string } | { readonly kind: 'outside' } | { readonly kind: 'dangling' };

/**
 * Keeps a scan inside its tree: no symbolic link, in a file's own name or in any directory above
 * it, may lead the scan to read something outside the repository. Directory checks are memoised
 * (thousands of files share a few hundred directories). Synchronous: a scan thread does nothing
 * else while it checks a path, and small synchronous calls beat the thread-pool round trip.
 */
export class TreeGuard {
  readonly root: string;
  readonly #dirs = new Map<string, boolean>();

  constructor(realRoot: string) {
    this.root = realRoot;
  }

  /** True when every directory above `path` is a real directory of the tree (no symlink on the way). */
  parentsInside(path: string): boolean {
    const dir = dirname(path);
    if (dir === '.' || dir === '') return true;
    let known = this.#dirs.get(dir);
    if (known === undefined) {
      const expected = join(this.root, dir);
      try {
        known = realpathSync(expected) === expected;
      } catch {
        known = false;
      }
      this.#dirs.set(dir, known);
    }
    return known;
  }

  /**
   * Where a symbolic link leads, without reading the target: realpath only resolves names. A target
   * outside the tree is reported as such and must never be opened.
   */
  resolveLink(path: string): LinkTarget {
    let real: string;
    try {
      real = realpathSync(join(this.root, path));
    } catch {
      return { kind: 'dangling' };
    }
    const rel = relative(this.root, real);
    if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) return { kind: 'outside' };
    return { kind: 'inside', path: rel.split(sep).join('/'), real };
  }
}
