import { formatSize } from '../../policy/size.ts';
import type { DiffReport, SideSummary } from './diff-report.ts';
import { table } from './format-scan-markdown.ts';
import { state } from './format-diff-text.ts';
import { mdCode, mdText, plural } from './markup.ts';

/** Rows per folded list in a merge request comment. */
const CAP = 20;

/**
 * A merge request comment a reviewer reads in ten seconds: the verdict on the first line, a small
 * base/head table, then every list folded in a <details> block and capped.
 */
export function* formatDiffMarkdown(r: DiffReport): Generator<string> {
  yield `${mdText(r.summary)}\n\n`;
  yield `**aigate dry-run diff** for ${mdCode(r.project)}: ${mdCode('.aiconfig')} ${mdText(r.aiconfigChange)}.\n\n`;
  yield `| | base ${label(r.base)} | head ${label(r.head)} |\n|---|---|---|\n`;
  yield `| state | ${mdText(state(r.base))} | ${mdText(state(r.head))} |\n`;
  yield `| providers | ${r.base.providers.join(', ') || 'none'} | ${r.head.providers.join(', ') || 'none'} |\n`;
  yield `| max file size | ${size(r.base)} | ${size(r.head)} |\n`;
  yield `| exclusions / redaction rules | ${r.base.exclusions} / ${r.base.rules} | ${r.head.exclusions} / ${r.head.rules} |\n\n`;
  if (!r.head.allowed && r.head.message) yield `> ${mdText(r.head.message)}\n\n`;
  yield* table(`${plural(r.secrets.noLongerRedacted.length, 'secret')} no longer redacted`, ['file', 'line', 'base rule', 'preview'], r.secrets.noLongerRedacted.map((s) => [mdCode(s.path), `${s.finding.line}:${s.finding.column}`, s.finding.rules.map(mdCode).join(', '), mdCode(s.finding.preview)]), CAP);
  yield* table(`${plural(r.files.becomeVisible.length, 'file')} become visible to AI`, ['file', 'was hidden by'], r.files.becomeVisible.map((f) => [mdCode(f.path), f.rule ? `${mdCode(f.rule.value)} (${mdText(f.rule.source)})` : mdCode(f.reason)]), CAP);
  yield* table(`${plural(r.files.becomeHidden.length, 'file')} hidden from AI`, ['file', 'hidden by'], r.files.becomeHidden.map((f) => [mdCode(f.path), f.rule ? `${mdCode(f.rule.value)} (${mdText(f.rule.source)})` : mdCode(f.reason)]), CAP);
  yield* table(`${plural(r.secrets.newlyRedacted.length, 'secret')} newly redacted`, ['file', 'line', 'head rule', 'preview'], r.secrets.newlyRedacted.map((s) => [mdCode(s.path), `${s.finding.line}:${s.finding.column}`, s.finding.rules.map(mdCode).join(', '), mdCode(s.finding.preview)]), CAP);
  const rules = [
    ...r.policy.providers.added.map((p) => ['➕', 'provider', mdCode(p), '']),
    ...r.policy.providers.removed.map((p) => ['➖', 'provider', mdCode(p), '']),
    ...r.policy.exclusions.added.map((e) => ['➕', 'exclusion', mdCode(e.value), mdText(e.source)]),
    ...r.policy.exclusions.removed.map((e) => ['➖', 'exclusion', mdCode(e.value), mdText(e.source)]),
    ...r.policy.redaction.added.map((e) => ['➕', 'redaction rule', mdCode(e.value), mdText(e.source)]),
    ...r.policy.redaction.removed.map((e) => ['➖', 'redaction rule', mdCode(e.value), mdText(e.source)]),
    ...r.policy.redaction.changed.map((e) => ['✏️', 'redaction rule', mdCode(e.value), mdText(e.source)]),
  ];
  yield* table(`${plural(rules.length, 'policy change')}`, ['', 'kind', 'rule', 'source'], rules, CAP);
  const diagnostics = r.head.diagnostics.map((d) => [d.severity, mdCode(`${d.file}:${d.line}:${d.column}`), mdCode(d.code), mdText(d.message)]);
  yield* table(`${plural(diagnostics.length, 'finding')} in the head .aiconfig`, ['severity', 'where', 'code', 'message'], diagnostics, CAP);
  if (!r.secrets.compared) yield '<sub>Redaction rules are the same on both sides (or a side denies), so file contents were not compared.</sub>\n';
}

function label(s: SideSummary): string {
  return s.commit ? `${mdCode(s.label)} (${s.commit.slice(0, 8)})` : mdText(s.label);
}

function size(s: SideSummary): string {
  if (!s.allowed) return '—';
  return s.maxFileSize === null ? 'no limit' : formatSize(s.maxFileSize);
}
