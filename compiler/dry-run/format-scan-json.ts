import { summarize, type ScanReport } from './scan-report.ts';

/**
 * Machine-readable report, streamed: the header and summary, then every file on its own line (so a
 * 50,000-file report is never one string and stays greppable).
 */
export function* formatScanJson(report: ScanReport): Generator<string> {
  const { files, elapsedMs, ...head } = report;
  yield '{\n';
  for (const [key, value] of Object.entries({ ...head, elapsed_ms: Math.round(elapsedMs), summary: summarize(report) })) {
    if (value !== undefined) yield `  ${JSON.stringify(key)}: ${JSON.stringify(value)},\n`;
  }
  yield '  "files": [';
  let first = true;
  for (const f of files) {
    yield `${first ? '' : ','}\n    ${JSON.stringify(f)}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}]\n}\n`;
}
