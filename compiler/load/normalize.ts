import type { ExcludeRuleV1, RedactionRuleV1, RuleSourceV1 } from '../../policy/bundle-types.ts';
import { BUILTIN_RULES } from '../../policy/builtin-rules/all-builtin-rules.ts';
import { PROVIDER_IDS, type ProviderId } from '../../policy/providers.ts';
import { parseSize } from '../../policy/size.ts';
import type { AiconfigV1, GroupEntryInput, OrgPolicyV1, RateLimitsInput, RedactionRuleInput, SizeInput } from '../../schemas/policy-types.ts';
import { toPointer } from '../diagnostics.ts';
import type { YamlSource } from './read-yaml.ts';
import type { GroupModel, OrgModel, RateLimitsInputModel, RepoModel, SizeLimit } from './policy-model.ts';
import { derivedRuleId } from './rule-id.ts';

type Level = RuleSourceV1['level'];
type Path = readonly (string | number)[];

/** Builds sources for one file: level, file name, line of the pointer, the pointer itself. */
function sourcer(source: YamlSource, level: Level, group?: number) {
  return (path: Path, at: 'key' | 'value' = 'value'): RuleSourceV1 => {
    const pointer = toPointer(path);
    return { level, file: source.file, line: source.locate(pointer, at).line, pointer, ...(group !== undefined ? { group } : {}) };
  };
}

function globs(values: readonly string[] | undefined, path: Path, at: ReturnType<typeof sourcer>): ExcludeRuleV1[] {
  return (values ?? []).map((glob, i) => ({ glob, source: at([...path, i]) }));
}

function rules(values: readonly (string | RedactionRuleInput)[] | undefined, path: Path, at: ReturnType<typeof sourcer>): RedactionRuleV1[] {
  return (values ?? []).map((value, i) => {
    const rule = typeof value === 'string' ? { pattern: value } : value;
    return {
      id: rule.id ?? derivedRuleId(rule.pattern),
      pattern: rule.pattern,
      ...(rule.replacement !== undefined ? { replacement: rule.replacement } : {}),
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      source: at([...path, i]),
    };
  });
}

function size(value: SizeInput | undefined, path: Path, at: ReturnType<typeof sourcer>): SizeLimit | undefined {
  const bytes = value === undefined ? undefined : parseSize(value);
  return bytes === undefined ? undefined : { bytes, source: at(path) };
}

function limits(value: RateLimitsInput | undefined): RateLimitsInputModel {
  return { per_user: value?.per_user ?? null, per_repo: value?.per_repo ?? null, strict: value?.strict ?? false };
}

/** The org policy as the merge needs it. Call only on a document that validated without errors. */
export function normalizeOrg(source: YamlSource): OrgModel {
  const doc = source.value as OrgPolicyV1;
  const at = sourcer(source, 'org');
  const providers = PROVIDER_IDS.filter((id) => doc.providers?.[id]?.enabled === true);
  const providerSources: Partial<Record<ProviderId, RuleSourceV1>> = {};
  for (const id of PROVIDER_IDS) providerSources[id] = doc.providers?.[id] ? at(['providers', id], 'key') : doc.providers ? at(['providers'], 'key') : { level: 'org', file: source.file, line: 1, pointer: '' };
  const builtin = doc.builtin_rules;
  const builtinOn = builtin === undefined || builtin === true || (typeof builtin === 'object' && builtin.enabled !== false);
  const disabled = new Set(typeof builtin === 'object' ? (builtin.disable ?? []) : []);
  const builtinRules: RedactionRuleV1[] = builtinOn
    ? BUILTIN_RULES.filter((r) => !disabled.has(r.id)).map((r) => ({ id: r.id, pattern: r.pattern, ...(r.replacement !== undefined ? { replacement: r.replacement } : {}), description: r.description, source: { level: 'builtin' } }))
    : [];
  const orgLimits = limits(doc.rate_limits);
  return {
    file: source.file,
    providers,
    providerSources,
    blocked: globs(doc.blocked_repos, ['blocked_repos'], at),
    requireConfigFile: doc.require_config_file ?? true,
    unscopedRequests: doc.unscoped_requests ?? 'deny',
    exclude: globs(doc.exclude, ['exclude'], at),
    builtinRules,
    rules: rules(doc.redaction_rules, ['redaction_rules'], at),
    maxFileSize: size(doc.max_file_size, ['max_file_size'], at),
    rateLimits: orgLimits,
    retentionDays: doc.audit?.retention_days ?? null,
    groups: (doc.groups ?? []).map((g, i) => normalizeGroup(source, g, i)),
  };
}

function normalizeGroup(source: YamlSource, group: GroupEntryInput, index: number): GroupModel {
  const at = sourcer(source, 'group', index);
  const base: Path = ['groups', index];
  return {
    index,
    namespace: group.namespace,
    providers: group.providers ? [...group.providers] : null,
    exclude: globs(group.exclude, [...base, 'exclude'], at),
    rules: rules(group.redaction_rules, [...base, 'redaction_rules'], at),
    maxFileSize: size(group.max_file_size, [...base, 'max_file_size'], at),
    rateLimits: limits(group.rate_limits),
    source: at([...base, group.providers ? 'providers' : 'namespace']),
  };
}

/** A repository's `.aiconfig` as the merge needs it. Call only on a document without errors. */
export function normalizeAiconfig(source: YamlSource): RepoModel {
  const access = (source.value as AiconfigV1).ai_access;
  const at = sourcer(source, 'repo');
  return {
    file: source.file,
    enabled: access.enabled,
    enabledSource: at(['ai_access', 'enabled']),
    providers: access.allowed_providers ? [...access.allowed_providers] : null,
    providersSource: access.allowed_providers ? at(['ai_access', 'allowed_providers'], 'key') : undefined,
    exclude: globs(access.exclude, ['ai_access', 'exclude'], at),
    rules: rules(access.redact_patterns, ['ai_access', 'redact_patterns'], at),
    maxFileSize: size(access.max_file_size, ['ai_access', 'max_file_size'], at),
  };
}
