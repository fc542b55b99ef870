import type { ErrorObject } from 'ajv/dist/2020.js';
import { validateAiconfig } from '../../schemas/generated/aiconfig.validate.js';
import { validateOrgPolicy } from '../../schemas/generated/org-policy.validate.js';
import type { GeneratedValidator } from '../../schemas/generated/validators.d.ts';

export type PolicyKind = 'aiconfig' | 'org-policy';

export const POLICY_KINDS: readonly PolicyKind[] = ['aiconfig', 'org-policy'];

/** Validators precompiled from schemas/*.schema.json (see scripts/gen-validators.ts for why). */
const VALIDATORS: Readonly<Record<PolicyKind, GeneratedValidator>> = {
  aiconfig: validateAiconfig,
  'org-policy': validateOrgPolicy,
};

/** Every schema error for a document (ajv `allErrors`), or none. */
export function validateAgainstSchema(kind: PolicyKind, value: unknown): readonly ErrorObject[] {
  const validate = VALIDATORS[kind];
  return validate(value) ? [] : (validate.errors ?? []);
}
