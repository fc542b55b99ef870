import type { Diagnostic } from '../diagnostics.ts';
import { countBySeverity, type ValidationReport } from './validation-report.ts';

const COLOURS = { red: '\x1b[31m', yellow: '\x1b[33m', dim: '\x1b[2m', bold: '\x1b[1m', green: '\x1b[32m', reset: '\x1b[0m' } as const;

/**
 * `file:line:col severity code message`, then the source line with a caret under the offending
 * text, then the hint. Colour only when writing to a terminal.
 */
export function formatText(report: ValidationReport, colour: boolean): string {
  const c = (name: keyof typeof COLOURS, text: string) => (colour ? `${COLOURS[name]}${text}${COLOURS.reset}` : text);
  const out: string[] = [];
  for (const d of report.diagnostics) {
    const severity = d.severity === 'error' ? c('red', 'error') : c('yellow', 'warning');
    out.push(`${c('bold', `${d.file}:${d.line}:${d.column}`)} ${severity} ${d.code} ${d.message}`);
    const excerpt = sourceExcerpt(report.texts.get(d.file), d);
    if (excerpt) out.push(c('dim', excerpt.line), c(d.severity === 'error' ? 'red' : 'yellow', excerpt.caret));
    if (d.hint) out.push(`  hint: ${d.hint}`);
  }
  const { errors, warnings } = countBySeverity(report.diagnostics);
  const files = report.files.length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (errors > 0) out.push(c('red', `✖ ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`));
  else out.push(c('green', `✔ ${plural(files, 'file')} valid${warnings ? `, ${plural(warnings, 'warning')}` : ''}`));
  return `${out.join('\n')}\n`;
}

function sourceExcerpt(text: string | undefined, d: Diagnostic): { line: string; caret: string } | undefined {
  if (text === undefined) return undefined;
  const source = text.split(/\r?\n/)[d.line - 1];
  if (source === undefined) return undefined;
  const gutter = String(d.line).padStart(5);
  // Tabs would shift the caret; show them as single spaces in both lines.
  const shown = source.replaceAll('\t', ' ');
  const width = Math.max(1, Math.min(d.length ?? 1, shown.length - d.column + 1));
  return { line: `${gutter} | ${shown}`, caret: `${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, d.column - 1))}${'^'.repeat(width)}` };
}
