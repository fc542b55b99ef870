import { AI_PROVIDER_RULES } from './ai-providers.ts';
import type { BuiltinRule } from './builtin-rule.ts';
import { CLOUD_RULES } from './cloud.ts';
import { GENERIC_RULES } from './generic.ts';
import { GITHUB_RULES } from './github.ts';
import { GITLAB_RULES } from './gitlab.ts';
import { KEY_AND_TOKEN_RULES } from './keys-and-tokens.ts';
import { PACKAGE_REGISTRY_RULES } from './package-registries.ts';
import { SAAS_RULES } from './saas.ts';

/**
 * Every built-in rule, in the order the engine applies them. Specific formats come first so the
 * audit record names the credential kind; the GCP key-file rule precedes the generic PEM rules and
 * the prefixed tokens precede JWT (some contain `eyJ`); the context-based generic rules come last
 * and leave values that an earlier rule already turned into `[REDACTED:…]` alone.
 *
 * Length bounds are a distinctive prefix plus a modest lower bound (usually 20), not the exact
 * length. Besides tolerating new formats, this keeps the redactor's RE2.Set small: a counted
 * repetition `{n}` is n automaton states and the Set's DFA combines the states of all rules. With
 * exact lengths (32, 40, 64, …), secret-dense text outgrew RE2's default 8 MiB DFA budget and the
 * Set rebuilt its cache on every string, eight times slower.
 */
export const BUILTIN_RULES: readonly BuiltinRule[] = [
  ...GITLAB_RULES,
  ...GITHUB_RULES,
  ...AI_PROVIDER_RULES,
  ...CLOUD_RULES,
  ...SAAS_RULES,
  ...PACKAGE_REGISTRY_RULES,
  ...KEY_AND_TOKEN_RULES,
  ...GENERIC_RULES,
];

export const BUILTIN_RULE_IDS: readonly string[] = BUILTIN_RULES.map((rule) => rule.id);
