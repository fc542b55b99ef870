import type { Decision } from '../../policy/decide.ts';
import { describeSource } from '../../policy/describe-source.ts';
import type { ProviderId } from '../../policy/providers.ts';
import { formatSize } from '../../policy/size.ts';
import type { EffectivePolicy } from './effective-policy.ts';
import type { PolicyView } from './policy-view.ts';
import { ruleLevels } from './rule-levels.ts';

export interface CheckResult {
  readonly policy: EffectivePolicy;
  readonly view: PolicyView;
  readonly decision: Decision;
  readonly request: { readonly repo: string; readonly provider: ProviderId; readonly file: string | undefined; readonly size: number | undefined };
}

/** `ALLOW`/`DENY`, the reason code, decide()'s own message and the deciding rule with its source. */
export function formatCheckText({ policy, view, decision, request }: CheckResult): string {
  const what = [`${request.repo} → ${request.provider}`, request.file !== undefined ? `file ${request.file}` : undefined, request.size !== undefined ? `size ${formatSize(request.size)}` : undefined].filter(Boolean).join(', ');
  const lines: string[] = [];
  if (decision.allow) {
    lines.push(`ALLOW  ${what}`);
    if (decision.file !== undefined && decision.file !== request.file) lines.push(`  path       fetched as ${decision.file} (normalised)`);
    lines.push(`  providers  ${decision.providers.join(', ')}`);
    lines.push(`  max size   ${decision.maxFileSize === null ? 'no limit' : `${formatSize(decision.maxFileSize)} (${describeSource(view.maxFileSizeSource)})`}`);
    const levels = ruleLevels(decision.ruleSet.rules);
    lines.push(`  redaction  ${decision.ruleSet.rules.length} rules (${levels}) applied to everything sent`);
    lines.push(`  exclusions ${decision.ruleSet.exclude.map((e) => e.glob).join(', ') || 'none'}`);
  } else {
    lines.push(`DENY   ${what}`);
    lines.push(`  reason     ${decision.reason}`);
    lines.push(`  message    ${decision.message}`);
    if (decision.rule) lines.push(`  rule       ${decision.rule.kind} "${decision.rule.value}" (${describeSource(decision.rule.source)})`);
  }
  lines.push(`  policy     ${policy.origin}`);
  for (const w of policy.warnings) lines.push(`  warning    ${w}`);
  for (const d of policy.diagnostics) lines.push(`  ${d.severity.padEnd(9)}  ${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`);
  return `${lines.join('\n')}\n`;
}

export function formatCheckJson({ policy, decision, request }: CheckResult): string {
  const body = {
    decision: decision.allow ? 'allow' : 'deny',
    reason: decision.allow ? null : decision.reason,
    message: decision.allow ? null : decision.message,
    rule: decision.allow || !decision.rule ? null : { ...decision.rule, source_text: describeSource(decision.rule.source) },
    request: { repo: request.repo, provider: request.provider, file: request.file ?? null, size: request.size ?? null },
    effective: decision.allow
      ? { file: decision.file ?? null, providers: decision.providers, max_file_size: decision.maxFileSize, redaction_rules: decision.ruleSet.rules.map((r) => r.id), exclude: decision.ruleSet.exclude.map((e) => ({ glob: e.glob, source: describeSource(e.source) })) }
      : null,
    policy: { origin: policy.origin, warnings: policy.warnings },
    diagnostics: policy.diagnostics,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}
