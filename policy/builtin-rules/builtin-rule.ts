import type { RedactionRuleSpec } from '../redaction-rule.ts';

/** A positive example: `text` in which the rule must fire, and the `secret` that must not survive. */
export interface PositiveExample {
  readonly text: string;
  readonly secret: string;
}

/** A built-in secret rule: high-confidence, documented, and tested by its own examples. */
export interface BuiltinRule extends RedactionRuleSpec {
  readonly description: string;
  readonly examples: {
    readonly positive: readonly PositiveExample[];
    readonly negative: readonly string[];
  };
}
