/**
 * A redaction rule as the engine runs it: RE2 pattern plus replacement template. Built-in, org,
 * group and repository rules all reduce to this shape in the bundle.
 */
export interface RedactionRuleSpec {
  /** Stable id recorded in audit records (never the matched text). */
  readonly id: string;
  /** RE2 syntax; must not match empty text. */
  readonly pattern: string;
  /** `$1`, `${1}`, `${name}`, `$<name>`, `$$`; default `[REDACTED:<id>]`. */
  readonly replacement?: string;
}

export function defaultReplacement(id: string): string {
  return `[REDACTED:${id}]`;
}
