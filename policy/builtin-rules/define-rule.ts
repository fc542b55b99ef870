import type { BuiltinRule, PositiveExample } from './builtin-rule.ts';

/** A positive example: `secret` embedded between `before` and `after`. */
export function ex(before: string, secret: string, after = ''): PositiveExample {
  return { text: `${before}${secret}${after}`, secret };
}

export interface RuleDefinition {
  readonly id: string;
  readonly description: string;
  readonly pattern: string;
  readonly replacement?: string;
  readonly positive: readonly PositiveExample[];
  readonly negative: readonly string[];
}

/**
 * Builds a rule, adding its own replacement marker as a negative example: a rule that matched
 * `[REDACTED:<id>]` would redact its own output on the engine's next pass.
 */
export function defineRule(d: RuleDefinition): BuiltinRule {
  return {
    id: d.id,
    description: d.description,
    pattern: d.pattern,
    ...(d.replacement === undefined ? {} : { replacement: d.replacement }),
    examples: { positive: d.positive, negative: [...d.negative, `[REDACTED:${d.id}]`] },
  };
}
