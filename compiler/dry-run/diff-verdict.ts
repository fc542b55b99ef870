import { formatSize } from '../../policy/size.ts';
import type { DiffReport, PolicyChanges, SideSummary } from './diff-report.ts';
import { plural } from './markup.ts';

type Findings = Pick<DiffReport, 'files' | 'secrets'>;

/** Items shown in the one-line summary before "and N more". */
const SUMMARY_ITEMS = 4;

/**
 * Sorts every change into loosening (exposes something new: a provider, a file, a secret, a larger
 * size limit, a repository that becomes allowed, a rule removed) or tightening, and writes the
 * one-line summary a reviewer reads first.
 */
export function verdictOf(project: string, base: SideSummary, head: SideSummary, policy: PolicyChanges, found: Findings): Pick<DiffReport, 'loosening' | 'tightening' | 'verdict' | 'summary'> {
  const loosening: string[] = [];
  const tightening: string[] = [];
  const firstError = head.diagnostics.find((d) => d.severity === 'error');
  if (!base.allowed && head.allowed) loosening.push(`repository goes from denied (${base.reason}) to allowed`);
  if (base.allowed && !head.allowed) tightening.push(head.state === 'invalid' ? 'head .aiconfig is invalid: every request is denied' : `repository becomes denied (${head.reason})`);
  if (!base.allowed && !head.allowed && base.reason !== head.reason) tightening.push(`still denied, now ${head.reason}`);
  if (found.secrets.noLongerRedacted.length > 0) loosening.push(`${plural(found.secrets.noLongerRedacted.length, 'secret')} no longer redacted`);
  if (found.secrets.newlyRedacted.length > 0) tightening.push(`${plural(found.secrets.newlyRedacted.length, 'more secret')} redacted`);
  if (found.files.becomeVisible.length > 0) loosening.push(`${plural(found.files.becomeVisible.length, 'file')} ${found.files.becomeVisible.length === 1 ? 'becomes' : 'become'} visible to AI`);
  if (found.files.becomeHidden.length > 0) tightening.push(`${plural(found.files.becomeHidden.length, 'file')} hidden from AI`);
  if (policy.providers.added.length > 0) loosening.push(`${policy.providers.added.length === 1 ? 'provider' : 'providers'} ${policy.providers.added.join(', ')} added`);
  if (policy.providers.removed.length > 0) tightening.push(`${policy.providers.removed.length === 1 ? 'provider' : 'providers'} ${policy.providers.removed.join(', ')} removed`);
  if (policy.maxFileSize) (policy.maxFileSize.raised ? loosening : tightening).push(`max file size ${policy.maxFileSize.raised ? 'raised' : 'lowered'} ${size(policy.maxFileSize.base)} → ${size(policy.maxFileSize.head)}`);
  rules(policy.exclusions.removed.map((r) => r.value), 'exclusion', 'removed', loosening, true);
  rules(policy.exclusions.added.map((r) => r.value), 'exclusion', 'added', tightening, true);
  rules(policy.redaction.removed.map((r) => r.value), 'redaction rule', 'removed', loosening, false);
  rules(policy.redaction.changed.map((r) => r.value), 'redaction rule', 'changed', loosening, false);
  rules(policy.redaction.added.map((r) => r.value), 'redaction rule', 'added', tightening, false);

  const invalid = head.state === 'invalid' && loosening.length === 0;
  const verdict = invalid ? 'invalid' : loosening.length > 0 ? 'loosens' : tightening.length > 0 ? 'tightens' : 'unchanged';
  const summary =
    verdict === 'invalid'
      ? `⛔ invalid .aiconfig: every AI request for ${project} will be denied${firstError ? ` (${firstError.file}:${firstError.line}:${firstError.column} ${firstError.code}: ${firstError.message})` : ''}`
      : verdict === 'loosens'
        ? `⚠️ loosens: ${capped(loosening)}${tightening.length > 0 ? `; also tightens: ${capped(tightening)}` : ''}`
        : verdict === 'tightens'
          ? `✅ tightens only: ${capped(tightening)}`
          : '✅ no change in what AI can see';
  return { loosening, tightening, verdict, summary };
}

function rules(values: readonly string[], noun: string, verb: string, into: string[], quote: boolean): void {
  if (values.length === 0) return;
  into.push(values.length === 1 ? `${noun} ${quote ? `"${values[0]}"` : values[0]} ${verb}` : `${plural(values.length, noun)} ${verb}`);
}

function capped(items: readonly string[]): string {
  const shown = items.slice(0, SUMMARY_ITEMS).join(', ');
  return items.length > SUMMARY_ITEMS ? `${shown} and ${items.length - SUMMARY_ITEMS} more` : shown;
}

function size(bytes: number | null): string {
  return bytes === null ? 'no limit' : formatSize(bytes);
}
