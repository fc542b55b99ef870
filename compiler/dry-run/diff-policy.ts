import type { RedactionRuleV1 } from '../../policy/bundle-types.ts';
import { describeSource } from '../../policy/describe-source.ts';
import type { EffectivePolicy } from './effective-policy.ts';
import type { PolicyView } from './policy-view.ts';
import type { PolicyChanges, RuleRef, SideSummary } from './diff-report.ts';

export interface DiffSide {
  readonly label: string;
  readonly commit?: string;
  readonly policy: EffectivePolicy;
  readonly view: PolicyView;
}

export function sideSummary(side: DiffSide): SideSummary {
  const { view, policy } = side;
  const d = view.decision;
  return {
    label: side.label,
    ...(side.commit ? { commit: side.commit } : {}),
    origin: policy.origin,
    aiconfig: policy.aiconfig,
    allowed: d.allow,
    state: d.allow ? view.state : view.state === 'active' || view.state === 'unlisted' ? d.reason : view.state,
    ...(d.allow ? {} : { reason: d.reason, message: d.message }),
    providers: view.allowed,
    maxFileSize: view.maxFileSize,
    exclusions: view.ruleSet?.exclude.length ?? 0,
    rules: view.ruleSet?.rules.length ?? 0,
    diagnostics: policy.diagnostics,
  };
}

/**
 * The rule-level difference of two effective policies, as decide() sees them: providers it allows,
 * the exclusions and redaction rules of the rule set it applies, the size limit. Rules are only
 * compared when both sides allow the project (a denied project has no rules: nothing leaves).
 */
export function comparePolicies(base: DiffSide, head: DiffSide): PolicyChanges {
  const providers = {
    added: head.view.allowed.filter((p) => !base.view.allowed.includes(p)),
    removed: base.view.allowed.filter((p) => !head.view.allowed.includes(p)),
  };
  const b = base.view.ruleSet;
  const h = head.view.ruleSet;
  if (!b || !h) return { providers, exclusions: { added: [], removed: [] }, redaction: { added: [], removed: [], changed: [] } };

  const globs = (set: typeof b) => new Map(set.exclude.map((e) => [e.glob, { value: e.glob, source: describeSource(e.source) }] as const));
  const bg = globs(b);
  const hg = globs(h);
  const rules = (set: typeof b) => new Map(set.rules.map((r) => [r.id, r] as const));
  const br = rules(b);
  const hr = rules(h);
  const ref = (r: RedactionRuleV1): RuleRef => ({ value: r.id, source: describeSource(r.source) });
  const same = (x: RedactionRuleV1, y: RedactionRuleV1) => x.pattern === y.pattern && (x.replacement ?? '') === (y.replacement ?? '');

  const bs = base.view.maxFileSize;
  const hs = head.view.maxFileSize;
  return {
    providers,
    exclusions: { added: [...hg].filter(([g]) => !bg.has(g)).map(([, r]) => r), removed: [...bg].filter(([g]) => !hg.has(g)).map(([, r]) => r) },
    redaction: {
      added: [...hr.values()].filter((r) => !br.has(r.id)).map(ref),
      removed: [...br.values()].filter((r) => !hr.has(r.id)).map(ref),
      changed: [...hr.values()].filter((r) => { const old = br.get(r.id); return old !== undefined && !same(old, r); }).map(ref),
    },
    ...(bs !== hs ? { maxFileSize: { base: bs, head: hs, raised: hs === null || (bs !== null && hs > bs) } } : {}),
  };
}

/** True when both sides redact with exactly the same rules in the same order (contents need no re-scan). */
export function sameRedaction(base: DiffSide, head: DiffSide): boolean {
  const b = base.view.ruleSet?.rules ?? [];
  const h = head.view.ruleSet?.rules ?? [];
  return b.length === h.length && b.every((r, i) => r.id === h[i]?.id && r.pattern === h[i]?.pattern && (r.replacement ?? '') === (h[i]?.replacement ?? ''));
}
