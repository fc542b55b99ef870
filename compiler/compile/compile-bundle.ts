import type { BundlePayloadV1, ExcludeRuleV1, ProjectEntryV1, RedactionRuleV1, RuleSetV1 } from '../../policy/bundle-types.ts';
import type { OrgModel } from '../load/policy-model.ts';
import { mergeProject, orgMatchers, type ProjectRef, type RepoInput } from '../merge/merge-project.ts';
import { contentAddress } from './content-address.ts';

export const COMPILER_ID = 'aigate 0.1.0';

export interface CompileInput {
  readonly org: OrgModel;
  readonly projects: Iterable<ProjectRef & { readonly input: RepoInput }>;
  readonly serial: number;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  readonly issuer?: { readonly policyRepo?: string; readonly commit?: string };
}

/**
 * Compiles org policy and every project's `.aiconfig` into a bundle payload. Rules and rule sets are
 * content-addressed, so projects with equal effective rules share one rule set (and the proxy
 * compiles it once). Deterministic for equal input, apart from the serial and timestamps.
 */
export function compileBundle(input: CompileInput): BundlePayloadV1 {
  const { org } = input;
  const matchers = orgMatchers(org);
  const redactionRules: Record<string, RedactionRuleV1> = {};
  const ruleSets: Record<string, RuleSetV1> = {};
  const ruleKeys = new Map<RedactionRuleV1, string>();

  const keyOfRule = (rule: RedactionRuleV1): string => {
    let key = ruleKeys.get(rule);
    if (key === undefined) {
      key = contentAddress(rule);
      ruleKeys.set(rule, key);
      redactionRules[key] = rule;
    }
    return key;
  };
  const addRuleSet = (exclude: readonly ExcludeRuleV1[], redaction: readonly RedactionRuleV1[]): string => {
    const set: RuleSetV1 = { exclude, redaction: redaction.map(keyOfRule) };
    const id = contentAddress(set);
    ruleSets[id] ??= set;
    return id;
  };

  const projects: Record<string, ProjectEntryV1> = {};
  for (const project of input.projects) {
    const merged = mergeProject(org, project, project.input, matchers);
    const ruleSet = merged.rules ? addRuleSet(merged.rules.exclude, merged.rules.redaction) : null;
    projects[String(project.id)] = { ...merged.entry, rule_set: ruleSet };
  }

  return {
    schema_version: 1,
    serial: input.serial,
    issued_at: input.issuedAt.toISOString(),
    expires_at: input.expiresAt.toISOString(),
    issuer: {
      file: org.file,
      ...(input.issuer?.policyRepo ? { policy_repo: input.issuer.policyRepo } : {}),
      ...(input.issuer?.commit ? { commit: input.issuer.commit } : {}),
      compiler: COMPILER_ID,
    },
    org: {
      providers: org.providers,
      provider_sources: org.providerSources,
      blocked_repos: org.blocked,
      require_config_file: org.requireConfigFile,
      unscoped_requests: org.unscopedRequests,
      default_rule_set: addRuleSet(org.exclude, [...org.builtinRules, ...org.rules]),
      max_file_size: org.maxFileSize?.bytes ?? null,
      ...(org.maxFileSize ? { max_file_size_source: org.maxFileSize.source } : {}),
      rate_limits: org.rateLimits,
      retention_days: org.retentionDays,
      groups: org.groups.map((g) => ({ namespace: g.namespace, providers: g.providers, source: g.source })),
    },
    redaction_rules: redactionRules,
    rule_sets: ruleSets,
    projects,
  };
}
