import { countBySeverity, type ValidationReport } from './validation-report.ts';

/** Machine-readable output: the same diagnostics as the text format, plus per-file validity. */
export function formatJson(report: ValidationReport): string {
  const summary = countBySeverity(report.diagnostics);
  return `${JSON.stringify({ valid: summary.errors === 0, summary, files: report.files, diagnostics: report.diagnostics }, null, 2)}\n`;
}
