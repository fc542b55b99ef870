import { captureGroups, checkPattern } from '../../../policy/regex-check.ts';
import { parseReplacement, unresolvedReferences } from '../../../policy/replacement.ts';
import { rulesOf } from '../policy-walk.ts';
import type { PolicyRule } from '../rule-context.ts';

const CODE = { invalid: 'regex_invalid', unsupported: 'regex_unsupported', matches_empty: 'regex_matches_empty' } as const;

/**
 * Every redaction pattern must compile under RE2 (no catastrophic backtracking on the proxy's hot
 * path), must not match empty text, and its replacement may only reference groups that exist.
 */
export const regexPatterns: PolicyRule = function regexPatterns(ctx) {
  for (const rule of rulesOf(ctx.kind, ctx.value)) {
    const problem = checkPattern(rule.pattern);
    if (problem) {
      ctx.report({ code: CODE[problem.kind], pointer: rule.patternPointer, message: problem.message, hint: problem.hint, index: problem.index });
      continue;
    }
    if (rule.replacement === undefined) continue;
    const missing = unresolvedReferences(parseReplacement(rule.replacement), captureGroups(rule.pattern));
    if (missing.length > 0) {
      ctx.report({
        code: 'regex_replacement_reference',
        pointer: `${rule.pointer}/replacement`,
        message: `replacement refers to ${missing.join(', ')}, which the pattern does not capture`,
        hint: 'add the capture group to the pattern, or write $$ for a literal dollar sign',
      });
    }
  }
};
