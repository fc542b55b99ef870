import type { PolicyRule } from '../rule-context.ts';
import { builtinDisable } from './builtin-disable.ts';
import { disabledWithSettings } from './disabled-with-settings.ts';
import { globs } from './globs.ts';
import { providers } from './providers.ts';
import { regexPatterns } from './regex-patterns.ts';
import { ruleIds } from './rule-ids.ts';
import { sizes } from './sizes.ts';

/** The semantic rules, run after the schema on every document (each tolerates schema-invalid input). */
export const POLICY_RULES: readonly PolicyRule[] = [regexPatterns, ruleIds, globs, sizes, providers, disabledWithSettings, builtinDisable];
