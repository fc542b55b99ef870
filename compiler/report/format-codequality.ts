import { createHash } from 'node:crypto';
import { relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import type { ValidationReport } from './validation-report.ts';

/** One GitLab Code Quality issue (the CodeClimate subset GitLab reads). */
export interface CodeQualityIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  readonly location: { readonly path: string; readonly positions: { readonly begin: { readonly line: number; readonly column: number } } };
}

/**
 * GitLab Code Quality report: a JSON array whose paths are repository-relative (no "./") so the
 * merge request widget can link each finding to its line.
 */
export function formatCodeQuality(report: ValidationReport, cwd: string): string {
  return `${JSON.stringify(report.diagnostics.map((d) => codeQualityIssue(d, cwd)), null, 2)}\n`;
}

export function codeQualityIssue(d: Diagnostic, cwd: string): CodeQualityIssue {
  const path = repoPath(d.file, cwd);
  return {
    description: d.hint ? `${d.message} (hint: ${d.hint})` : d.message,
    check_name: `aigate/${d.code}`,
    // Stable across runs for the same finding, so GitLab can tell new findings from fixed ones.
    fingerprint: createHash('md5').update(`${path}\0${d.code}\0${d.pointer}\0${d.message}`).digest('hex'),
    severity: d.severity === 'error' ? 'major' : 'minor',
    location: { path, positions: { begin: { line: d.line, column: d.column } } },
  };
}

export function repoPath(file: string, cwd: string): string {
  const rel = relative(cwd, resolve(cwd, file)).split(sep).join('/');
  return rel.startsWith('../') || rel === '' ? file.split(sep).join('/') : rel.replace(/^\.\//, '');
}
