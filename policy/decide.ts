import type { ActiveBundle, CompiledRuleSet } from './active-bundle.ts';
import type { ProjectEntryV1, RateLimitsV1, RuleSourceV1 } from './bundle-types.ts';
import { describeSource } from './describe-source.ts';
import { normalizePath } from './paths.ts';
import type { ProviderId } from './providers.ts';
import type { ReasonCode } from './reasons.ts';
import { formatSize } from './size.ts';

export interface DecisionRequest {
  /** The project as GitLab resolved it for this user (canonical path, id); absent = unscoped. */
  readonly project?: { readonly id?: number | string; readonly path: string };
  /** The provider the content goes to; absent (e.g. a context fetch) means "any allowed provider". */
  readonly provider?: ProviderId;
  /** A repository file path as the client spelled it; normalised here. */
  readonly file?: string;
  /** The file's size in bytes, when known. */
  readonly size?: number;
  readonly now?: number;
}

/** The rule that decided a denial, with where it is written. */
export interface DecidingRule {
  readonly kind: 'glob' | 'provider' | 'setting' | 'config';
  readonly value: string;
  readonly source?: RuleSourceV1;
}

export interface Allow {
  readonly allow: true;
  readonly unscoped: boolean;
  readonly projectId: string | undefined;
  readonly entry: ProjectEntryV1 | undefined;
  readonly providers: readonly ProviderId[];
  readonly ruleSet: CompiledRuleSet;
  readonly maxFileSize: number | null;
  readonly rateLimits: RateLimitsV1;
  /** The normalised file path (what must be fetched), when a file was asked for. */
  readonly file?: string;
  readonly serial: number;
}

export interface Deny {
  readonly allow: false;
  readonly reason: ReasonCode;
  /** One sentence a user can act on, citing the file and line of the deciding rule. */
  readonly message: string;
  readonly rule?: DecidingRule;
  readonly serial?: number;
}

export type Decision = Allow | Deny;

/**
 * The policy decision, shared by the proxy and the dry-run so a merge request previews exactly
 * what will be enforced. Pure: no I/O, no clock unless `now` is omitted. Every branch that is not
 * an explicit allow denies (fail closed).
 */
export function decide(bundle: ActiveBundle | undefined, request: DecisionRequest): Decision {
  if (!bundle) return deny('bundle_missing', 'aigate: no valid policy bundle is loaded, so every AI request is denied');
  const serial = bundle.serial;
  const org = bundle.payload.org;
  const now = request.now ?? Date.now();
  if (now >= bundle.expiresAt) {
    return deny('bundle_expired', `aigate: the policy bundle (serial ${serial}) expired at ${bundle.payload.expires_at}; requests are denied until a fresh one is loaded`, undefined, serial);
  }

  const project = request.project;
  if (!project) {
    if (org.unscoped_requests !== 'allow') {
      return deny('repo_required', 'aigate: name the repository with the X-AI-Repo header (group/project); requests without one are denied by the org policy', { kind: 'setting', value: 'unscoped_requests: deny' }, serial);
    }
    const denied = providerCheck(request.provider, org.providers, 'unscoped requests', (p) => org.provider_sources[p], serial);
    if (denied) return denied;
    return withFile(bundle, request, { unscoped: true, projectId: undefined, entry: undefined, providers: org.providers, ruleSetId: org.default_rule_set, maxFileSize: org.max_file_size, maxSource: org.max_file_size_source, rateLimits: org.rate_limits, label: 'unscoped requests' });
  }

  // The live path GitLab reports is checked too: a project renamed into a blocked namespace is
  // blocked at once, before any recompile.
  const blocked = bundle.blocked.firstMatch(project.path);
  if (blocked >= 0) {
    const rule = org.blocked_repos[blocked];
    return deny('repo_blocked', `aigate: ${project.path} is blocked for AI by "${rule?.glob}" (${describeSource(rule?.source)})`, { kind: 'glob', value: rule?.glob ?? '', ...(rule ? { source: rule.source } : {}) }, serial);
  }

  const found = bundle.project(project.id, project.path);
  if (!found) return unlisted(bundle, request, project.path, serial);
  const { id, entry } = found;
  if (entry.state !== 'active' || entry.rule_set === null) {
    const reason = entry.reason ?? 'repo_config_invalid';
    const detail = entry.reason_detail ? `: ${entry.reason_detail}` : '';
    return deny(reason, `aigate: ${project.path} ${STATE_TEXT[entry.state]}${detail}${entry.reason_source ? ` (${describeSource(entry.reason_source)})` : ''}`, { kind: 'config', value: entry.state, ...(entry.reason_source ? { source: entry.reason_source } : {}) }, serial);
  }

  // A project moved under a group entry it was not compiled with would miss that group's rules.
  const live = groupsOf(bundle, project.path);
  const missing = live.find((g) => !entry.groups.includes(g));
  if (missing !== undefined) {
    const group = org.groups[missing];
    return deny('repo_not_configured', `aigate: ${project.path} moved under "${group?.namespace}" after the policy was compiled; it is denied until the next compile`, { kind: 'glob', value: group?.namespace ?? '', ...(group ? { source: group.source } : {}) }, serial);
  }

  const denied = providerCheck(request.provider, entry.providers, project.path, (p) => providerSource(bundle, entry, p), serial);
  if (denied) return denied;
  return withFile(bundle, request, { unscoped: false, projectId: id, entry, providers: entry.providers, ruleSetId: entry.rule_set, maxFileSize: entry.max_file_size, maxSource: entry.max_file_size_source, rateLimits: entry.rate_limits, label: project.path });
}

const STATE_TEXT: Readonly<Record<ProjectEntryV1['state'], string>> = {
  active: 'is active',
  blocked: 'is blocked for AI',
  not_configured: 'has no .aiconfig, and the org policy requires one to use AI',
  disabled: 'has AI access disabled in its .aiconfig',
  invalid: 'has an invalid .aiconfig, so AI is denied until it is fixed',
};

interface Effective {
  readonly unscoped: boolean;
  readonly projectId: string | undefined;
  readonly entry: ProjectEntryV1 | undefined;
  readonly providers: readonly ProviderId[];
  readonly ruleSetId: string;
  readonly maxFileSize: number | null;
  readonly maxSource: RuleSourceV1 | undefined;
  readonly rateLimits: RateLimitsV1;
  readonly label: string;
}

/** File checks (exclusion, size) and the final allow. */
function withFile(bundle: ActiveBundle, request: DecisionRequest, e: Effective): Decision {
  let ruleSet: CompiledRuleSet;
  try {
    ruleSet = bundle.ruleSet(e.ruleSetId);
  } catch (error) {
    return deny('bundle_invalid', `aigate: the policy bundle cannot be enforced (${error instanceof Error ? error.message : 'invalid rule set'})`, undefined, bundle.serial);
  }
  let file: string | undefined;
  if (request.file !== undefined) {
    const normalized = normalizePath(request.file);
    if (!normalized.ok) return deny('path_invalid', `aigate: ${normalized.message}`, undefined, bundle.serial);
    file = normalized.path;
    const index = ruleSet.exclusions.firstMatch(file);
    if (index >= 0) {
      const rule = ruleSet.exclude[index];
      return deny('file_excluded', `aigate: ${file} is excluded from AI by "${rule?.glob}" (${describeSource(rule?.source)})`, { kind: 'glob', value: rule?.glob ?? '', ...(rule ? { source: rule.source } : {}) }, bundle.serial);
    }
  }
  if (request.size !== undefined && e.maxFileSize !== null && request.size > e.maxFileSize) {
    const what = file ?? 'the file';
    return deny('file_too_large', `aigate: ${what} is ${formatSize(request.size)}, above the ${formatSize(e.maxFileSize)} limit for ${e.label} (${describeSource(e.maxSource)})`, { kind: 'setting', value: `max_file_size: ${e.maxFileSize}`, ...(e.maxSource ? { source: e.maxSource } : {}) }, bundle.serial);
  }
  return {
    allow: true,
    unscoped: e.unscoped,
    projectId: e.projectId,
    entry: e.entry,
    providers: e.providers,
    ruleSet,
    maxFileSize: e.maxFileSize,
    rateLimits: e.rateLimits,
    ...(file !== undefined ? { file } : {}),
    serial: bundle.serial,
  };
}

/** A project the bundle does not list (created after the last compile, or never compiled). */
function unlisted(bundle: ActiveBundle, request: DecisionRequest, path: string, serial: number): Decision {
  const org = bundle.payload.org;
  if (org.require_config_file) {
    return deny('repo_not_configured', `aigate: ${path} has no .aiconfig in the policy bundle (serial ${serial}); commit one to use AI`, { kind: 'setting', value: 'require_config_file: true' }, serial);
  }
  // Group rules for a project the compiler never saw cannot be assembled here: deny rather than guess.
  if (groupsOf(bundle, path).length > 0) {
    return deny('repo_not_configured', `aigate: ${path} is not in the policy bundle yet (serial ${serial}); it will be after the next compile`, undefined, serial);
  }
  const denied = providerCheck(request.provider, org.providers, path, (p) => org.provider_sources[p], serial);
  if (denied) return denied;
  return withFile(bundle, request, { unscoped: false, projectId: undefined, entry: undefined, providers: org.providers, ruleSetId: org.default_rule_set, maxFileSize: org.max_file_size, maxSource: org.max_file_size_source, rateLimits: org.rate_limits, label: path });
}

function groupsOf(bundle: ActiveBundle, path: string): number[] {
  const out: number[] = [];
  const groups = bundle.payload.org.groups;
  for (let i = 0; i < groups.length; i++) {
    if (bundle.groupMatchers[i]?.(path)) out.push(i);
  }
  return out;
}

/** Which level removed a provider: the org, a group entry, or the repository's own list. */
function providerSource(bundle: ActiveBundle, entry: ProjectEntryV1, provider: ProviderId): RuleSourceV1 | undefined {
  const org = bundle.payload.org;
  if (!org.providers.includes(provider)) return org.provider_sources[provider];
  for (const g of entry.groups) {
    const group = org.groups[g];
    if (group?.providers && !group.providers.includes(provider)) return group.source;
  }
  return entry.providers_source;
}

/** The named provider must be allowed; with none named, at least one must be. */
function providerCheck(provider: ProviderId | undefined, allowed: readonly ProviderId[], scope: string, source: (p: ProviderId) => RuleSourceV1 | undefined, serial: number): Deny | undefined {
  if (provider === undefined) {
    return allowed.length > 0 ? undefined : deny('provider_not_allowed', `aigate: no provider is allowed for ${scope}`, { kind: 'provider', value: 'none' }, serial);
  }
  return allowed.includes(provider) ? undefined : providerDenied(provider, scope, source(provider), serial);
}

function providerDenied(provider: ProviderId, scope: string, source: RuleSourceV1 | undefined, serial: number): Deny {
  return deny('provider_not_allowed', `aigate: provider ${provider} is not allowed for ${scope} (${describeSource(source)})`, { kind: 'provider', value: provider, ...(source ? { source } : {}) }, serial);
}

function deny(reason: ReasonCode, message: string, rule?: DecidingRule, serial?: number): Deny {
  return { allow: false, reason, message, ...(rule ? { rule } : {}), ...(serial !== undefined ? { serial } : {}) };
}
