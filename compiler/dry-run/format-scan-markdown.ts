import { formatSize } from '../../policy/size.ts';
import { mdCode, mdText, plural } from './markup.ts';
import { SKIP_TEXT, summarize, type FileResult, type ScanReport } from './scan-report.ts';
import { summaryLine } from './format-scan-text.ts';

/** Rows shown per table before "and N more". */
export const MD_CAP = 50;

/** A report to paste into a merge request or a job summary: one summary line, details folded. */
export function* formatScanMarkdown(report: ScanReport): Generator<string> {
  if (report.denial) {
    yield `⛔ **aigate dry-run scan** of ${mdCode(report.project)}: denied (${mdCode(report.denial.reason)}): ${mdText(report.denial.message)}. No file can be sent to AI; nothing was scanned.\n\n`;
    yield* settings(report);
    return;
  }
  const s = summarize(report);
  const icon = s.redactions > 0 ? '🔐' : '✅';
  yield `${icon} **aigate dry-run scan** of ${mdCode(report.project)}: ${mdText(summaryLine(s))}\n\n`;
  yield* settings(report);
  const redacted = report.files.filter((f) => f.redactions && f.redactions.length > 0).flatMap((f) => (f.redactions ?? []).map((r) => ({ f, r })));
  yield* table(`${plural(s.redactions, 'secret')} redacted before reaching AI`, ['file', 'line', 'rule', 'preview'], redacted.map(({ f, r }) => [mdCode(f.path), `${r.line}:${r.column}`, r.rules.map(mdCode).join(', '), mdCode(r.preview)]));
  yield* table(`${plural(s.excluded, 'file')} excluded from AI`, ['file', 'rule', 'source'], only(report, 'excluded').map((f) => [mdCode(f.path), mdCode(f.rule?.value ?? ''), mdText(f.rule?.source ?? '')]));
  yield* table(`${plural(s.tooLarge, 'file')} over the size limit`, ['file', 'size', 'limit'], only(report, 'too_large').map((f) => [mdCode(f.path), formatSize(f.size ?? 0), `${mdText(f.rule?.value ?? '')} (${mdText(f.rule?.source ?? '')})`]));
  yield* table(`${plural(s.denied, 'file')} denied`, ['file', 'reason'], only(report, 'denied').map((f) => [mdCode(f.path), mdText(f.message ?? f.reason ?? '')]));
  yield* table(`${plural(s.skipped, 'file')} not scanned`, ['file', 'why'], only(report, 'skipped').map((f) => [mdCode(f.path), mdText(f.skip ? SKIP_TEXT[f.skip] : '')]));
  const invalid = report.files.filter((f) => f.invalidUtf8);
  yield* table(`${plural(invalid.length, 'file')} not valid UTF-8 (scanned as decoded with U+FFFD)`, ['file'], invalid.map((f) => [mdCode(f.path)]));
}

function only(report: ScanReport, status: FileResult['status']): FileResult[] {
  return report.files.filter((f) => f.status === status);
}

function* settings(report: ScanReport): Generator<string> {
  yield `<details><summary>Policy</summary>\n\n| setting | value |\n|---|---|\n`;
  yield `| policy | ${mdText(report.origin)} |\n| provider | ${report.provider} (allowed: ${report.allowedProviders.join(', ') || 'none'}) |\n`;
  if (!report.denial) yield `| max file size | ${report.maxFileSize === null ? 'no limit' : `${formatSize(report.maxFileSize)} (${mdText(report.maxFileSizeSource ?? 'policy')})`} |\n| exclusions / redaction rules | ${report.exclusions} / ${report.rules} |\n`;
  for (const w of report.warnings) yield `| warning | ${mdText(w)} |\n`;
  for (const d of report.diagnostics) yield `| ${d.severity} | ${mdCode(`${d.file}:${d.line}:${d.column}`)} ${mdCode(d.code)} ${mdText(d.message)} |\n`;
  yield '\n</details>\n\n';
}

export function* table(title: string, columns: readonly string[], rows: readonly (readonly string[])[], cap = MD_CAP): Generator<string> {
  if (rows.length === 0) return;
  yield `<details><summary>${mdText(title)}</summary>\n\n| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n`;
  for (const row of rows.slice(0, cap)) yield `| ${row.join(' | ')} |\n`;
  if (rows.length > cap) yield `\n…and ${rows.length - cap} more\n`;
  yield '\n</details>\n\n';
}
