import type { ExcludeRuleV1, ProjectEntryV1, RateLimitsV1, RedactionRuleV1, RuleSourceV1 } from '../../policy/bundle-types.ts';
import { compileProjectGlob } from '../../policy/glob-match.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { GroupModel, OrgModel, RepoModel, SizeLimit } from '../load/policy-model.ts';

/** What the compiler knows about a project's `.aiconfig`. */
export type RepoInput =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly file: string; readonly diagnostics: readonly Diagnostic[]; readonly commit?: string; readonly blob?: string }
  | { readonly kind: 'valid'; readonly repo: RepoModel; readonly commit?: string; readonly blob?: string };

export interface ProjectRef {
  readonly id: number | string;
  readonly path: string;
}

/** A merged project: its bundle entry (rule set not yet addressed) and, when active, its rules. */
export interface MergedProject {
  readonly entry: Omit<ProjectEntryV1, 'rule_set'>;
  readonly rules?: { readonly exclude: readonly ExcludeRuleV1[]; readonly redaction: readonly RedactionRuleV1[] };
}

/**
 * Merges org, matching groups and a repository's `.aiconfig` (ARCHITECTURE §3). Every step can only
 * narrow: providers intersect, exclusions and rules add up, limits take the minimum, and any doubt
 * (blocked, missing, disabled or invalid config) yields a non-active entry that denies.
 */
export function mergeProject(org: OrgModel, project: ProjectRef, input: RepoInput, matchers: OrgMatchers = orgMatchers(org)): MergedProject {
  const groups = org.groups.filter((_, i) => matchers.groups[i]?.(project.path));
  const rateLimits = minLimits(org.rateLimits, groups);
  const config = input.kind === 'none' ? null : { file: input.kind === 'valid' ? input.repo.file : input.file, ...(input.commit ? { commit: input.commit } : {}), ...(input.blob ? { blob: input.blob } : {}) };
  const base = { path: project.path, groups: groups.map((g) => g.index), rate_limits: rateLimits, config };
  const inactive = (state: ProjectEntryV1['state'], reason: NonNullable<ProjectEntryV1['reason']>, detail: string, source?: RuleSourceV1): MergedProject => ({
    entry: { ...base, state, reason, reason_detail: detail, ...(source ? { reason_source: source } : {}), providers: [], max_file_size: null },
  });

  const blocked = org.blocked.find((_, i) => matchers.blocked[i]?.(project.path));
  if (blocked) return inactive('blocked', 'repo_blocked', `matches blocked_repos "${blocked.glob}"`, blocked.source);
  if (input.kind === 'invalid') {
    const errors = input.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    const detail = first ? `${errors.length} error${errors.length === 1 ? '' : 's'}, first: ${first.file}:${first.line}:${first.column} ${first.code} ${first.message}` : 'invalid';
    return inactive('invalid', 'repo_config_invalid', detail, first ? { level: 'repo', file: first.file, line: first.line, pointer: first.pointer } : undefined);
  }
  if (input.kind === 'none' && org.requireConfigFile) return inactive('not_configured', 'repo_not_configured', 'no .aiconfig at the repository root');
  const repo = input.kind === 'valid' ? input.repo : undefined;
  if (repo && !repo.enabled) return inactive('disabled', 'repo_disabled', 'ai_access.enabled is false', repo.enabledSource);

  const providers = org.providers.filter((p) => groups.every((g) => g.providers === null || g.providers.includes(p)) && (!repo?.providers || repo.providers.includes(p)));
  const size = minSize([org.maxFileSize, ...groups.map((g) => g.maxFileSize), repo?.maxFileSize]);
  return {
    entry: {
      ...base,
      state: 'active',
      providers,
      ...(repo?.providersSource ? { providers_source: repo.providersSource } : {}),
      max_file_size: size?.bytes ?? null,
      ...(size ? { max_file_size_source: size.source } : {}),
    },
    rules: {
      exclude: dedupeGlobs([...org.exclude, ...groups.flatMap((g) => g.exclude), ...(repo?.exclude ?? [])]),
      redaction: [...org.builtinRules, ...org.rules, ...groups.flatMap((g) => g.rules), ...(repo?.rules ?? [])],
    },
  };
}

export interface OrgMatchers {
  readonly blocked: readonly ((path: string) => boolean)[];
  readonly groups: readonly ((path: string) => boolean)[];
}

/** Project-path predicates of an org policy; build once per compile and pass to mergeProject. */
export function orgMatchers(org: OrgModel): OrgMatchers {
  return { blocked: org.blocked.map((b) => compileProjectGlob(b.glob)), groups: org.groups.map((g) => compileProjectGlob(g.namespace)) };
}

function minSize(limits: readonly (SizeLimit | undefined)[]): SizeLimit | undefined {
  let best: SizeLimit | undefined;
  for (const limit of limits) if (limit && (!best || limit.bytes < best.bytes)) best = limit;
  return best;
}

function minLimits(org: RateLimitsV1, groups: readonly GroupModel[]): RateLimitsV1 {
  const min = (values: readonly (number | null)[]) => values.reduce<number | null>((acc, v) => (v === null ? acc : acc === null ? v : Math.min(acc, v)), null);
  return {
    per_user: min([org.per_user, ...groups.map((g) => g.rateLimits.per_user)]),
    per_repo: min([org.per_repo, ...groups.map((g) => g.rateLimits.per_repo)]),
    strict: org.strict || groups.some((g) => g.rateLimits.strict),
  };
}

/** The first occurrence of a glob wins, so the broadest level is cited. */
function dedupeGlobs(globs: readonly ExcludeRuleV1[]): ExcludeRuleV1[] {
  const seen = new Set<string>();
  return globs.filter((g) => !seen.has(g.glob) && seen.add(g.glob) !== undefined);
}
