import type { Diagnostic } from '../diagnostics.ts';
import { validatePolicy } from '../validate/validate-policy.ts';
import type { RepoInput } from '../merge/merge-project.ts';
import { normalizeAiconfig, normalizeOrg } from './normalize.ts';
import type { OrgModel } from './policy-model.ts';

export interface LoadedOrg {
  /** Present only when the org policy has no errors: a broken org policy must stop the compile. */
  readonly org: OrgModel | undefined;
  /** The parsed document (even if invalid), for cross-checking `.aiconfig` files. */
  readonly value: unknown;
  readonly diagnostics: readonly Diagnostic[];
}

export function loadOrgPolicy(file: string, text: string): LoadedOrg {
  const result = validatePolicy('org-policy', file, text);
  return { org: result.valid && result.source ? normalizeOrg(result.source) : undefined, value: result.source?.value, diagnostics: result.diagnostics };
}

/**
 * A repository's `.aiconfig` as merge input. An invalid file does not stop the compile: the project
 * compiles to an `invalid` entry that denies (fail closed), with the first error as the reason.
 */
export function loadRepoPolicy(file: string, text: string, orgValue: unknown, meta: { commit?: string; blob?: string } = {}): { input: RepoInput; diagnostics: readonly Diagnostic[] } {
  const result = validatePolicy('aiconfig', file, text, { org: orgValue });
  const input: RepoInput =
    result.valid && result.source
      ? { kind: 'valid', repo: normalizeAiconfig(result.source), ...meta }
      : { kind: 'invalid', file, diagnostics: result.diagnostics, ...meta };
  return { input, diagnostics: result.diagnostics };
}
