import picomatch from 'picomatch';
import { lintGlob } from './glob-lint.ts';

/** Options for every policy glob: dot-files are files like any other; case never matters. */
const OPTIONS: picomatch.PicomatchOptions = { dot: true, nocase: true, noextglob: true, nonegate: true };

/**
 * Translates one gitignore-style glob into picomatch patterns over normalised repository paths:
 * - `dir/` (trailing slash): the directory anywhere (or anchored if it has an inner `/`) and all below;
 * - a glob with an inner `/` is anchored at the root;
 * - otherwise it matches a name at any depth (`*.sql` → `**\/*.sql`);
 * - every match also covers everything below it (excluding `a.sql` excludes `a.sql/x` too).
 */
export function gitignorePatterns(glob: string): string[] {
  const dirOnly = glob.endsWith('/');
  const body = dirOnly ? glob.replace(/\/+$/, '') : glob;
  const anchored = body.includes('/');
  const base = anchored ? body : `**/${body}`;
  return dirOnly ? [`${base}/**`] : [base, `${base}/**`];
}

export interface FileGlobMatcher {
  /** True when any glob matches the (normalised) path. */
  readonly test: (path: string) => boolean;
  /** Index of the first glob that matches, or -1 (for explaining a denial). */
  readonly firstMatch: (path: string) => number;
}

/**
 * Compiles a list of file globs into one matcher. Globs the compiler would reject are refused here
 * too (defence in depth: a hand-edited bundle must not bring a backtracking glob to the proxy).
 */
export function compileFileGlobs(globs: readonly string[]): FileGlobMatcher {
  const each = globs.map((glob) => {
    const problem = lintGlob(glob).find((p) => p.severity === 'error');
    if (problem) throw new Error(`unsafe glob "${glob}": ${problem.message}`);
    return picomatch(gitignorePatterns(glob), OPTIONS);
  });
  const any = globs.length === 0 ? () => false : picomatch(globs.flatMap(gitignorePatterns), OPTIONS);
  return {
    test: (path) => any(path),
    firstMatch: (path) => (any(path) ? each.findIndex((m) => m(path)) : -1),
  };
}

/** Every ancestor namespace of a project path, then the path itself: a/b/c → a, a/b, a/b/c. */
export function pathAndAncestors(projectPath: string): string[] {
  const parts = projectPath.split('/').filter(Boolean);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}

export interface ProjectGlobMatcher {
  readonly firstMatch: (projectPath: string) => number;
}

/**
 * Project-path globs (`blocked_repos`, `groups[].namespace`): case-insensitive, and a glob that
 * matches any ancestor namespace matches the project (blocking a group blocks its subgroups, so a
 * project cannot escape a block by moving one level deeper).
 */
export function compileProjectGlobs(globs: readonly string[]): ProjectGlobMatcher {
  const each = globs.map(compileProjectGlob);
  return { firstMatch: (projectPath) => each.findIndex((m) => m(projectPath)) };
}

/** One project-path glob as a predicate (see compileProjectGlobs). */
export function compileProjectGlob(glob: string): (projectPath: string) => boolean {
  const problem = lintGlob(glob).find((p) => p.severity === 'error');
  if (problem) throw new Error(`unsafe glob "${glob}": ${problem.message}`);
  const match = picomatch(glob.replace(/\/+$/, ''), OPTIONS);
  return (projectPath) => pathAndAncestors(projectPath).some((c) => match(c));
}
