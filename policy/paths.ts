/** Longest repository path aigate will match; longer ones are refused (and glob matching stays bounded). */
export const MAX_PATH_LENGTH = 4096;

export type PathProblem = 'path_empty' | 'path_too_long' | 'path_nul' | 'path_encoding' | 'path_parent_segment';

export type NormalizedPath = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly problem: PathProblem; readonly message: string };

/**
 * Normalises a repository-relative file path before any policy check, so that every spelling of a
 * path is checked (and fetched) as the same path:
 * - percent-decoded exactly once (`%2e%2e%2f` is `../`, which is refused; a doubly encoded
 *   `%252e` stays the literal name `%2e`, and that literal is what gets fetched),
 * - `\` becomes `/` (Windows spellings cannot dodge a `dir/` exclusion),
 * - empty and `.` segments are dropped (`./a//b/` is `a/b`), a leading `/` is dropped,
 * - `..` segments and NUL are refused outright (traversal and C-string truncation attacks),
 * - case is kept (GitLab paths are case-sensitive; matching is case-insensitive).
 */
export function normalizePath(input: string): NormalizedPath {
  if (input.length > MAX_PATH_LENGTH * 3) return fail('path_too_long', `path is longer than ${MAX_PATH_LENGTH} characters`);
  let decoded: string;
  try {
    decoded = decodeURIComponent(input);
  } catch {
    return fail('path_encoding', 'path has an invalid percent-encoding');
  }
  if (decoded.includes('\0')) return fail('path_nul', 'path contains a NUL character');
  const segments: string[] = [];
  for (const segment of decoded.replaceAll('\\', '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') return fail('path_parent_segment', 'path contains a ".." segment');
    segments.push(segment);
  }
  const path = segments.join('/');
  if (path === '') return fail('path_empty', 'path is empty');
  if (path.length > MAX_PATH_LENGTH) return fail('path_too_long', `path is longer than ${MAX_PATH_LENGTH} characters`);
  return { ok: true, path };
}

function fail(problem: PathProblem, message: string): NormalizedPath {
  return { ok: false, problem, message };
}

/** Percent-encodes a normalised path as one URL segment (GitLab's `:file_path`). */
export function encodePathSegment(path: string): string {
  return encodeURIComponent(path);
}
