import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics.ts';
import { formatSize } from '../../policy/size.ts';
import type { FileResult, ScanReport } from './scan-report.ts';

/** One GitLab Code Quality issue, located by line (`location.lines.begin`). */
export interface ScanCodeQualityIssue {
  readonly description: string;
  readonly check_name: string;
  readonly fingerprint: string;
  readonly severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

/**
 * GitLab Code Quality JSON (a streamed array): a secret the proxy would redact is `major`, a file
 * over the size limit `minor`, an excluded file `info`; `.aiconfig` diagnostics keep their line.
 * Fingerprints hash the path, the check and the finding's ordinal in the file, never the matched
 * text (a hash of a short password is guessable) and not the line (lines shift on every edit).
 */
export function* formatScanCodeQuality(report: ScanReport): Generator<string> {
  let first = true;
  const emit = (issue: ScanCodeQualityIssue) => {
    const text = `${first ? '[\n  ' : ',\n  '}${JSON.stringify(issue)}`;
    first = false;
    return text;
  };
  for (const d of report.diagnostics) yield emit(diagnosticIssue(d));
  if (report.denial) yield emit(issue('.aiconfig', 1, `aigate/${report.denial.reason}`, 0, `AI access denied for the repository: ${report.denial.message}`, 'major'));
  for (const f of report.files) for (const i of fileIssues(f)) yield emit(i);
  yield first ? '[]\n' : '\n]\n';
}

function fileIssues(f: FileResult): ScanCodeQualityIssue[] {
  const path = repoRelative(f.path);
  if (f.status === 'excluded') return [issue(path, 1, 'aigate/file_excluded', 0, `Excluded from AI by "${f.rule?.value}" (${f.rule?.source})`, 'info')];
  if (f.status === 'too_large') return [issue(path, 1, 'aigate/file_too_large', 0, `Not sent to AI: ${formatSize(f.size ?? 0)} is above ${f.rule?.value} (${f.rule?.source})`, 'minor')];
  if (f.status === 'denied') return [issue(path, 1, `aigate/${f.reason}`, 0, f.message ?? 'denied', 'minor')];
  const seen = new Map<string, number>();
  return (f.redactions ?? []).map((r) => {
    const check = `aigate/redaction/${r.rules[0] ?? 'unknown'}`;
    const ordinal = seen.get(check) ?? 0;
    seen.set(check, ordinal + 1);
    return issue(path, r.line, check, ordinal, `Secret redacted before it reaches AI (${r.rules.join(', ')}): ${r.preview} at column ${r.column}`, 'major');
  });
}

function diagnosticIssue(d: Diagnostic): ScanCodeQualityIssue {
  return issue(repoRelative(d.file), d.line, `aigate/${d.code}`, d.column, d.message, d.severity === 'error' ? 'major' : 'minor');
}

function issue(path: string, line: number, check: string, ordinal: number, description: string, severity: ScanCodeQualityIssue['severity']): ScanCodeQualityIssue {
  return {
    description,
    check_name: check,
    fingerprint: createHash('md5').update(`${path}\0${check}\0${ordinal}`).digest('hex'),
    severity,
    location: { path, lines: { begin: Math.max(1, line) } },
  };
}

function repoRelative(path: string): string {
  return path.replace(/^(\.\/)+/, '');
}
