import type { ExcludeRuleV1, RateLimitsV1, RedactionRuleV1, RuleSourceV1 } from '../../policy/bundle-types.ts';
import type { ProviderId } from '../../policy/providers.ts';

/** A size limit and where it is written. */
export interface SizeLimit {
  readonly bytes: number;
  readonly source: RuleSourceV1;
}

/** Partial rate limits as one level writes them. */
export interface RateLimitsInputModel {
  readonly per_user: number | null;
  readonly per_repo: number | null;
  readonly strict: boolean;
}

export interface GroupModel {
  readonly index: number;
  readonly namespace: string;
  readonly providers: readonly ProviderId[] | null;
  readonly exclude: readonly ExcludeRuleV1[];
  readonly rules: readonly RedactionRuleV1[];
  readonly maxFileSize: SizeLimit | undefined;
  readonly rateLimits: RateLimitsInputModel;
  readonly source: RuleSourceV1;
}

/** A validated org policy with a source on everything a decision can cite. */
export interface OrgModel {
  readonly file: string;
  readonly providers: readonly ProviderId[];
  readonly providerSources: Readonly<Partial<Record<ProviderId, RuleSourceV1>>>;
  readonly blocked: readonly ExcludeRuleV1[];
  readonly requireConfigFile: boolean;
  readonly unscopedRequests: 'allow' | 'deny';
  readonly exclude: readonly ExcludeRuleV1[];
  readonly builtinRules: readonly RedactionRuleV1[];
  readonly rules: readonly RedactionRuleV1[];
  readonly maxFileSize: SizeLimit | undefined;
  readonly rateLimits: RateLimitsV1;
  readonly retentionDays: number | null;
  readonly groups: readonly GroupModel[];
}

/** A validated `.aiconfig`. */
export interface RepoModel {
  readonly file: string;
  readonly enabled: boolean;
  readonly enabledSource: RuleSourceV1;
  readonly providers: readonly ProviderId[] | null;
  readonly providersSource: RuleSourceV1 | undefined;
  readonly exclude: readonly ExcludeRuleV1[];
  readonly rules: readonly RedactionRuleV1[];
  readonly maxFileSize: SizeLimit | undefined;
}
