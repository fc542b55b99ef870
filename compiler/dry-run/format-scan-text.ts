import { formatSize } from '../../policy/size.ts';
import { plain, plural } from './markup.ts';
import { SKIP_TEXT, summarize, type FileResult, type ScanReport, type ScanSummary } from './scan-report.ts';

/** The report for a terminal or a CI log: one line per finding, clean files only counted. */
export function* formatScanText(report: ScanReport): Generator<string> {
  yield* header(report);
  if (report.denial) {
    yield `\nDENIED (${report.denial.reason}): ${plain(report.denial.message)}\nNo file of this repository can be sent to any AI provider; nothing was scanned.\n`;
    return;
  }
  yield '\n';
  for (const f of report.files) yield* fileLines(f);
  yield `\n${summaryLine(summarize(report))}\n`;
}

function* header(report: ScanReport): Generator<string> {
  yield `aigate dry-run scan of ${plain(report.project)}: ${report.mode === 'git' ? 'tracked files of a git checkout' : 'directory walk'} (${plural(report.files.length, 'file')}, ${(report.elapsedMs / 1000).toFixed(2)} s)\n`;
  yield `  policy      ${plain(report.origin)}\n`;
  yield `  provider    ${report.provider}${report.allowedProviders.length > 0 ? ` (allowed: ${report.allowedProviders.join(', ')})` : ' (no provider is allowed)'}\n`;
  if (!report.denial) {
    yield `  max size    ${report.maxFileSize === null ? 'no limit' : `${formatSize(report.maxFileSize)} (${report.maxFileSizeSource ?? 'policy'})`}\n`;
    yield `  rules       ${plural(report.exclusions, 'exclusion')}, ${plural(report.rules, 'redaction rule')}\n`;
  }
  for (const w of report.warnings) yield `  warning     ${plain(w)}\n`;
  for (const d of report.diagnostics) yield `  ${d.severity.padEnd(10)}  ${plain(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)}\n`;
}

function* fileLines(f: FileResult): Generator<string> {
  const path = plain(f.path);
  const link = f.symlink !== undefined ? ` -> ${plain(f.symlink)}` : '';
  if (f.status === 'excluded') yield `excluded   ${path}  by "${plain(f.rule?.value ?? '')}" (${f.rule?.source ?? 'policy'})\n`;
  else if (f.status === 'too_large') yield `too large  ${path}  ${formatSize(f.size ?? 0)}, ${plain(f.rule?.value ?? '')} (${f.rule?.source ?? 'policy'})\n`;
  else if (f.status === 'denied') yield `denied     ${path}  ${f.reason}: ${plain(f.message ?? '')}\n`;
  else if (f.status === 'skipped') yield `skipped    ${path}${link}  ${f.skip ? SKIP_TEXT[f.skip] : ''}\n`;
  if (f.invalidUtf8) yield `note       ${path}  not valid UTF-8: scanned as decoded with U+FFFD replacement\n`;
  for (const r of f.redactions ?? []) yield `redacted   ${path}:${r.line}:${r.column}${link}  ${r.rules.join(', ')}  ${r.preview}\n`;
}

export function summaryLine(s: ScanSummary): string {
  const parts = [
    `${s.visible} visible${s.withRedactions > 0 ? ` (${plural(s.redactions, 'redaction')} in ${plural(s.withRedactions, 'file')})` : ''}`,
    s.excluded ? `${s.excluded} excluded` : '',
    s.tooLarge ? `${s.tooLarge} too large` : '',
    s.denied ? `${s.denied} denied` : '',
    s.skipped ? `${s.skipped} skipped` : '',
  ].filter(Boolean);
  return `${plural(s.files, 'file')}: ${parts.join(', ')}${s.invalidUtf8 ? `; ${plural(s.invalidUtf8, 'file')} not valid UTF-8` : ''}`;
}
