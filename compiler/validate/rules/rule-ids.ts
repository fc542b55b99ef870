import { BUILTIN_RULE_IDS } from '../../../policy/builtin-rules/all-builtin-rules.ts';
import { derivedRuleId } from '../../load/rule-id.ts';
import { rulesOf } from '../policy-walk.ts';
import type { PolicyRule } from '../rule-context.ts';

/**
 * Rule ids name rules in audit records and in the dry-run, so each may be used once per file, and
 * never for a built-in rule or (in an .aiconfig, with --org-policy) an org rule: an audit count
 * under "gitlab-pat" must mean the built-in rule, not a repository's look-alike.
 */
export const ruleIds: PolicyRule = function ruleIds(ctx) {
  const reserved = new Map<string, string>(BUILTIN_RULE_IDS.map((id) => [id, 'a built-in rule']));
  if (ctx.kind === 'aiconfig') for (const rule of rulesOf('org-policy', ctx.org)) reserved.set(rule.id ?? derivedRuleId(rule.pattern), 'an org policy rule');
  const firstById = new Map<string, string>();
  const firstByPattern = new Map<string, string>();
  for (const rule of rulesOf(ctx.kind, ctx.value)) {
    const owner = reserved.get(rule.id ?? derivedRuleId(rule.pattern));
    if (owner && (rule.id !== undefined || owner !== 'an org policy rule')) {
      ctx.report({ code: 'duplicate_rule_id', pointer: rule.id !== undefined ? `${rule.pointer}/id` : rule.patternPointer, message: `rule id "${rule.id ?? derivedRuleId(rule.pattern)}" is already ${owner}`, hint: 'choose another id; audit records count redactions by id' });
      continue;
    }
    if (rule.id !== undefined) {
      const first = firstById.get(rule.id);
      if (first) {
        ctx.report({ code: 'duplicate_rule_id', pointer: `${rule.pointer}/id`, message: `rule id "${rule.id}" is already used at ${first}`, hint: 'give each rule its own id' });
      } else {
        firstById.set(rule.id, rule.pointer);
      }
    } else {
      const first = firstByPattern.get(rule.pattern);
      if (first) {
        ctx.report({ code: 'duplicate_rule_id', severity: 'warning', pointer: rule.patternPointer, message: `the same pattern is already listed at ${first}`, hint: 'remove the duplicate' });
      } else {
        firstByPattern.set(rule.pattern, rule.pointer);
      }
    }
  }
};
