import type { CompiledRuleSet } from '../../policy/active-bundle.ts';
import type { ProjectState, RuleSourceV1 } from '../../policy/bundle-types.ts';
import { decide, type Allow, type Decision, type Deny } from '../../policy/decide.ts';
import { PROVIDER_IDS, type ProviderId } from '../../policy/providers.ts';
import type { EffectivePolicy } from './effective-policy.ts';

/**
 * What `decide()` says about a project as a whole: which providers it allows and, through the
 * first allowed one, the rule set and size limit that apply to every file. Derived only by asking
 * `decide()`, so a view can never disagree with the proxy.
 */
export interface PolicyView {
  readonly allowed: readonly ProviderId[];
  /** The decision for the provider file checks are made with (the requested one, else the first allowed). */
  readonly provider: ProviderId;
  readonly decision: Decision;
  readonly state: ProjectState | 'unlisted';
  readonly ruleSet: CompiledRuleSet | undefined;
  readonly maxFileSize: number | null;
  readonly maxFileSizeSource: RuleSourceV1 | undefined;
}

export function policyView(policy: EffectivePolicy, provider?: ProviderId): PolicyView {
  const ask = (p: ProviderId) => decide(policy.bundle, { project: { path: policy.projectPath }, provider: p, now: policy.now });
  const decisions = PROVIDER_IDS.map((p) => [p, ask(p)] as const);
  const allowed = decisions.filter(([, d]) => d.allow).map(([p]) => p);
  // A project-level denial (blocked, invalid, ...) is the same for every provider; prefer it over
  // a provider denial when explaining why nothing is allowed.
  const chosen: ProviderId = provider ?? allowed[0] ?? decisions.find(([, d]) => !d.allow && d.reason !== 'provider_not_allowed')?.[0] ?? PROVIDER_IDS[0];
  const decision = decisions.find(([p]) => p === chosen)?.[1] ?? ask(chosen);
  const allow: Allow | undefined = decision.allow ? decision : undefined;
  const found = policy.bundle.project(undefined, policy.projectPath);
  return {
    allowed,
    provider: chosen,
    decision,
    state: found?.entry.state ?? 'unlisted',
    ruleSet: allow?.ruleSet,
    maxFileSize: allow?.maxFileSize ?? null,
    maxFileSizeSource: allow ? (allow.entry ? allow.entry.max_file_size_source : policy.bundle.payload.org.max_file_size_source) : undefined,
  };
}

/** The file-level decision for one path, through `decide()` with the view's provider. */
export function decideFile(policy: EffectivePolicy, view: PolicyView, file: string, size: number | undefined): Decision {
  return decide(policy.bundle, { project: { path: policy.projectPath }, provider: view.provider, file, ...(size !== undefined ? { size } : {}), now: policy.now });
}

export function isDeny(d: Decision): d is Deny {
  return !d.allow;
}
