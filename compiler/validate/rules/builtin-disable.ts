import { BUILTIN_RULE_IDS } from '../../../policy/builtin-rules/all-builtin-rules.ts';
import { toPointer } from '../../diagnostics.ts';
import { didYouMean } from '../did-you-mean.ts';
import { isObj, list } from '../policy-walk.ts';
import type { PolicyRule } from '../rule-context.ts';

/** `builtin_rules.disable` naming a rule that does not exist disables nothing: say so. */
export const builtinDisable: PolicyRule = function builtinDisable(ctx) {
  if (ctx.kind !== 'org-policy' || !isObj(ctx.value)) return;
  const builtin = ctx.value['builtin_rules'];
  if (!isObj(builtin)) return;
  list(builtin['disable']).forEach((id, i) => {
    if (typeof id !== 'string' || BUILTIN_RULE_IDS.includes(id)) return;
    const guess = didYouMean(id, BUILTIN_RULE_IDS);
    ctx.report({ code: 'unknown_builtin_rule', severity: 'warning', pointer: toPointer(['builtin_rules', 'disable', i]), message: `there is no built-in rule "${id}"`, hint: guess ? `did you mean "${guess}"?` : 'aigate inspect lists the built-in rule ids' });
  });
};
