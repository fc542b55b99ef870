import { hasErrors, type Diagnostic } from '../diagnostics.ts';
import { readYaml, type YamlSource } from '../load/read-yaml.ts';
import { ruleContext } from './rule-context.ts';
import { POLICY_RULES } from './rules/all-rules.ts';
import { schemaDiagnostics } from './schema-errors.ts';
import { validateAgainstSchema, type PolicyKind } from './schema-registry.ts';

export interface ValidatedPolicy {
  readonly kind: PolicyKind;
  readonly file: string;
  /** Present when the YAML could be read (even if the schema or rules failed). */
  readonly source: YamlSource | undefined;
  readonly diagnostics: readonly Diagnostic[];
  /** True when there is no error (warnings allowed). */
  readonly valid: boolean;
}

export interface ValidateOptions {
  /** A validated org policy value, enabling cross-checks on an .aiconfig. */
  readonly org?: unknown;
}

/**
 * Validates one policy document in three passes: YAML (syntax, duplicate keys), JSON Schema (every
 * error), then the semantic rules. Returns all diagnostics; never throws for bad input.
 */
export function validatePolicy(kind: PolicyKind, file: string, text: string, options: ValidateOptions = {}): ValidatedPolicy {
  const { source, diagnostics } = readYaml(file, text);
  if (!source) return { kind, file, source, diagnostics, valid: false };
  const all = [...diagnostics, ...schemaDiagnostics(validateAgainstSchema(kind, source.value), source)];
  const ctx = ruleContext(kind, source, options.org, all);
  for (const rule of POLICY_RULES) rule(ctx);
  return { kind, file, source, diagnostics: all, valid: !hasErrors(all) };
}
