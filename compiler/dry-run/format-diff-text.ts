import { formatSize } from '../../policy/size.ts';
import type { DiffReport, FileChange, SecretChange, SideSummary } from './diff-report.ts';
import { plain } from './markup.ts';

/** Lines per list before "and N more" (json has everything). */
const CAP = 50;

/** The diff for a terminal or a CI log: summary line first, then each change. */
export function* formatDiffText(r: DiffReport): Generator<string> {
  yield `${r.summary}\n\n`;
  yield `aigate dry-run diff of ${plain(r.project)}: ${side(r.base)} → ${side(r.head)}\n`;
  yield `  .aiconfig   ${plain(r.aiconfigChange)}\n`;
  yield `  base        ${plain(r.base.origin)}\n  head        ${plain(r.head.origin)}\n`;
  for (const w of r.warnings) yield `  warning     ${plain(w)}\n`;
  yield `  state       ${state(r.base)} → ${state(r.head)}\n`;
  if (r.head.message && !r.head.allowed) yield `              ${plain(r.head.message)}\n`;
  for (const d of r.head.diagnostics) yield `  ${d.severity.padEnd(10)}  head ${plain(`${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)}\n`;
  yield `  providers   ${r.base.providers.join(', ') || 'none'} → ${r.head.providers.join(', ') || 'none'}\n`;
  yield `  max size    ${size(r.base)} → ${size(r.head)}\n`;
  yield '\n';
  for (const e of r.policy.exclusions.added) yield `+ exclusion       "${plain(e.value)}" (${e.source})\n`;
  for (const e of r.policy.exclusions.removed) yield `- exclusion       "${plain(e.value)}" (was ${e.source})\n`;
  for (const e of r.policy.redaction.added) yield `+ redaction rule  ${plain(e.value)} (${e.source})\n`;
  for (const e of r.policy.redaction.removed) yield `- redaction rule  ${plain(e.value)} (was ${e.source})\n`;
  for (const e of r.policy.redaction.changed) yield `~ redaction rule  ${plain(e.value)} changed (${e.source})\n`;
  yield* capped(r.files.becomeVisible, (f) => `visible     ${plain(f.path)}  (was hidden: ${why(f)})\n`);
  yield* capped(r.files.becomeHidden, (f) => `hidden      ${plain(f.path)}  (${why(f)})\n`);
  yield* capped(r.secrets.noLongerRedacted, (s) => `unredacted  ${secret(s)}  (base redacts it, head does not)\n`);
  yield* capped(r.secrets.newlyRedacted, (s) => `redacted    ${secret(s)}  (newly redacted by head)\n`);
  yield `\n${r.files.total} files in the head tree; ${r.secrets.compared ? 'contents compared with both rule sets' : 'redaction rules unchanged (or a side denies): contents not compared'}\n`;
}

/** JSON: everything, uncapped. */
export function* formatDiffJson(r: DiffReport): Generator<string> {
  yield `${JSON.stringify(r, null, 2)}\n`;
}

function* capped<T>(items: readonly T[], line: (item: T) => string): Generator<string> {
  for (const item of items.slice(0, CAP)) yield line(item);
  if (items.length > CAP) yield `            … and ${items.length - CAP} more\n`;
}

export function why(f: FileChange): string {
  if (f.rule) return `${f.reason} by "${plain(f.rule.value)}", ${f.rule.source}`;
  return f.reason;
}

function secret(s: SecretChange): string {
  return `${plain(s.path)}:${s.finding.line}:${s.finding.column}  ${s.finding.rules.join(', ')}  ${s.finding.preview}`;
}

function side(s: SideSummary): string {
  return s.commit ? `${plain(s.label)} (${s.commit.slice(0, 12)})` : plain(s.label);
}

export function state(s: SideSummary): string {
  return s.allowed ? `${s.state} (allowed)` : `denied: ${s.state}`;
}

function size(s: SideSummary): string {
  if (!s.allowed) return '—';
  return s.maxFileSize === null ? 'no limit' : formatSize(s.maxFileSize);
}
