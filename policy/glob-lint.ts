export type GlobProblemKind = 'nul' | 'negation' | 'absolute' | 'parent_segment' | 'too_complex' | 'backslash';

export interface GlobProblem {
  readonly kind: GlobProblemKind;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly index: number;
  readonly hint: string;
}

/** More `*` than this in one path segment can make picomatch's regex backtrack for seconds. */
export const MAX_STARS_PER_SEGMENT = 3;
/** Three `**` segments against a 4 KB path took 3 s in measurements (reference/packages.md §4). */
export const MAX_GLOBSTARS = 2;

/**
 * Shape checks for a policy glob, shared by the compiler (which reports them) and the kernel's glob
 * compiler (which refuses them). Each check stops an attack or a silent mismatch: NUL truncation,
 * `!` re-including what an org excluded, `..` escaping the repository, and regexes that backtrack.
 */
export function lintGlob(glob: string): GlobProblem[] {
  const problems: GlobProblem[] = [];
  const nul = glob.indexOf('\0');
  if (nul !== -1) problems.push({ kind: 'nul', severity: 'error', message: 'glob contains a NUL character', index: nul, hint: 'remove the NUL character' });
  if (glob.startsWith('!')) {
    problems.push({
      kind: 'negation',
      severity: 'error',
      message: '"!" negation is not supported: a pattern could re-include files another level excluded',
      index: 0,
      hint: 'exclusions only add up; list the files to exclude instead of excluding a tree and re-including part of it',
    });
  }
  if (/^(?:\/|~|[a-zA-Z]:[\\/]|\\\\)/.test(glob)) {
    problems.push({
      kind: 'absolute',
      severity: 'error',
      message: 'glob is an absolute path; globs are relative to the repository root',
      index: 0,
      hint: 'drop the leading "/": a glob with a "/" inside (config/app.yml, secrets/**) is already anchored at the root',
    });
  }
  const segments = glob.split(/[\\/]/);
  let offset = 0;
  let globstars = 0;
  for (const segment of segments) {
    if (segment === '..') {
      problems.push({ kind: 'parent_segment', severity: 'error', message: 'glob contains a ".." segment', index: offset, hint: 'globs cannot leave the repository; write the path from the repository root' });
    }
    if (segment === '**') globstars++;
    const stars = segment === '**' ? 0 : [...segment].filter((c) => c === '*').length;
    if (stars > MAX_STARS_PER_SEGMENT) {
      problems.push({
        kind: 'too_complex',
        severity: 'error',
        message: `glob segment "${segment}" has ${stars} "*"; more than ${MAX_STARS_PER_SEGMENT} can make matching backtrack badly`,
        index: offset,
        hint: 'use fewer wildcards per segment, e.g. "*secret*" instead of "*s*e*c*r*e*t*"',
      });
    }
    offset += segment.length + 1;
  }
  if (globstars > MAX_GLOBSTARS) {
    problems.push({
      kind: 'too_complex',
      severity: 'error',
      message: `glob has ${globstars} "**" segments; more than ${MAX_GLOBSTARS} can make matching backtrack badly`,
      index: glob.indexOf('**'),
      hint: 'a leading "**/" already matches at any depth; drop the inner "**" segments',
    });
  }
  const backslash = glob.indexOf('\\');
  if (backslash !== -1 && !problems.some((p) => p.kind === 'absolute')) {
    problems.push({
      kind: 'backslash',
      severity: 'warning',
      message: 'backslash in a glob escapes the next character; it does not separate directories',
      index: backslash,
      hint: 'use "/" between directories',
    });
  }
  return problems;
}
