import { activateBundle, type ActiveBundle } from '../../policy/active-bundle.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { compileBundle } from '../compile/compile-bundle.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { LoadedOrg } from '../load/load-policies.ts';
import { loadRepoPolicy } from '../load/load-policies.ts';
import type { RepoInput } from '../merge/merge-project.ts';

/**
 * The policy a dry-run evaluates: an activated bundle (the proxy's own runtime form) and the
 * project path to ask `decide()` about. Every answer the dry-run gives comes from this bundle
 * through `decide()` and the rule set's redactor, never from a second reading of the policy.
 */
export interface EffectivePolicy {
  readonly bundle: ActiveBundle;
  readonly projectPath: string;
  /** Where the policy came from, for report headers ("ai-policy.yml + .aiconfig, compiled in-process"). */
  readonly origin: string;
  /** The instant decisions are made at (a bundle past expiry is evaluated at its issue time). */
  readonly now: number;
  /** Findings about the `.aiconfig` (errors make the project `invalid`: it denies). */
  readonly diagnostics: readonly Diagnostic[];
  readonly warnings: readonly string[];
  /** The project's `.aiconfig` as this policy saw it: missing, or the file name it was read as. */
  readonly aiconfig: 'missing' | 'present' | 'from-bundle';
}

/** Project id used for the single project of an in-process compile (decide() looks it up by path). */
const DRY_RUN_PROJECT_ID = 1;

/**
 * Compiles the org policy and one project's `.aiconfig` in-process, exactly as `aigate compile`
 * would for that project, and activates the result.
 */
export function compilePolicy(org: LoadedOrg & { readonly org: NonNullable<LoadedOrg['org']>; readonly fetchedFrom?: string }, projectPath: string, aiconfig: { readonly file: string; readonly text: string } | undefined, now = Date.now()): EffectivePolicy {
  let input: RepoInput = { kind: 'none' };
  let diagnostics: readonly Diagnostic[] = [];
  if (aiconfig) {
    const loaded = loadRepoPolicy(aiconfig.file, aiconfig.text, org.value);
    input = loaded.input;
    diagnostics = loaded.diagnostics;
  }
  const payload = compileBundle({
    org: org.org,
    projects: [{ id: DRY_RUN_PROJECT_ID, path: projectPath, input }],
    serial: 1,
    issuedAt: new Date(now),
    expiresAt: new Date(now + 3_600_000),
  });
  return {
    bundle: activateBundle(payload),
    projectPath,
    origin: `${org.org.file}${org.fetchedFrom ? ` from ${org.fetchedFrom}` : ''} + ${aiconfig ? aiconfig.file : 'no .aiconfig'} (compiled in-process)`,
    now,
    diagnostics,
    warnings: [],
    aiconfig: aiconfig ? 'present' : 'missing',
  };
}

/**
 * A bundle as the proxy would load it. An expired bundle would deny everything with
 * `bundle_expired`; a dry-run wants the policy it encodes, so it is evaluated at its issue time and
 * the report says so.
 */
export function bundlePolicy(payload: BundlePayloadV1, file: string, keyid: string | undefined, projectPath: string, now = Date.now()): EffectivePolicy {
  const bundle = activateBundle(payload);
  const warnings: string[] = [];
  let at = now;
  if (now >= bundle.expiresAt) {
    at = Date.parse(payload.issued_at);
    warnings.push(`the bundle expired at ${payload.expires_at} (a proxy would deny everything with bundle_expired); showing the policy it encodes`);
  }
  if (!keyid) warnings.push('the bundle signature was not verified (pass --trusted-key PUB to check it)');
  return {
    bundle,
    projectPath,
    origin: `${file}, serial ${payload.serial}${keyid ? `, verified by ${keyid}` : ', NOT VERIFIED'}`,
    now: at,
    diagnostics: [],
    warnings,
    aiconfig: 'from-bundle',
  };
}
