import { formatSize } from '../../policy/size.ts';
import { xml } from './markup.ts';
import { SKIP_TEXT, summarize, type FileResult, type ScanReport } from './scan-report.ts';

/**
 * JUnit XML for GitLab's test report widget: one testcase per file; excluded, too-large, denied and
 * redacted files fail (so they are listed), skipped files are skipped. A denied repository is one
 * failing testcase. Streamed.
 */
export function* formatScanJunit(report: ScanReport): Generator<string> {
  const s = summarize(report);
  const cases = report.denial ? 1 : report.files.length;
  const failures = report.denial ? 1 : report.files.filter(failing).length;
  const skipped = report.denial ? 0 : s.skipped;
  const seconds = (report.elapsedMs / 1000).toFixed(3);
  const name = xml(`aigate dry-run scan: ${report.project}`);
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${name}" tests="${cases}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">\n`;
  yield `  <testsuite name="${name}" tests="${cases}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">\n`;
  if (report.denial) {
    yield `    <testcase classname="aigate.dry-run.scan" name="${xml(report.project)}"><failure type="${report.denial.reason}" message="${xml(report.denial.message)}"/></testcase>\n`;
  } else {
    for (const f of report.files) yield testcase(f);
  }
  yield '  </testsuite>\n</testsuites>\n';
}

function failing(f: FileResult): boolean {
  return f.status === 'excluded' || f.status === 'too_large' || f.status === 'denied' || (f.redactions?.length ?? 0) > 0;
}

function testcase(f: FileResult): string {
  const open = `    <testcase classname="aigate.dry-run.scan" name="${xml(f.path)}" file="${xml(f.path)}"`;
  if (f.status === 'excluded') return `${open}><failure type="excluded" message="${xml(`excluded from AI by "${f.rule?.value}" (${f.rule?.source})`)}"/></testcase>\n`;
  if (f.status === 'too_large') return `${open}><failure type="too_large" message="${xml(`${formatSize(f.size ?? 0)} is above ${f.rule?.value} (${f.rule?.source})`)}"/></testcase>\n`;
  if (f.status === 'denied') return `${open}><failure type="${xml(f.reason ?? 'denied')}" message="${xml(f.message ?? '')}"/></testcase>\n`;
  if (f.status === 'skipped') return `${open}><skipped message="${xml(f.skip ? SKIP_TEXT[f.skip] : 'skipped')}"/></testcase>\n`;
  const found = f.redactions ?? [];
  if (found.length === 0) return `${open}/>\n`;
  const body = found.map((r) => `line ${r.line} column ${r.column}: ${r.rules.join(', ')} ${r.preview}`).join('\n');
  const count = Object.values(f.counts ?? {}).reduce((a, b) => a + b, 0);
  return `${open}><failure type="redacted" message="${xml(`${count} secret(s) would be redacted before reaching AI`)}">${xml(body)}</failure></testcase>\n`;
}
