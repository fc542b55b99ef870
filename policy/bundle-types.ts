import type { ProviderId } from './providers.ts';
import type { ReasonCode } from './reasons.ts';

/** DSSE payloadType of a bundle; verification insists on exactly this. */
export const BUNDLE_PAYLOAD_TYPE = 'application/vnd.aigate.bundle+json;version=1';

/** Where a rule or setting came from, so a denial can say "ai-policy.yml line 12". */
export interface RuleSourceV1 {
  readonly level: 'builtin' | 'org' | 'group' | 'repo';
  /** The file as the compiler read it (e.g. `ai-policy.yml`, `.aiconfig`); absent for built-ins. */
  readonly file?: string;
  readonly line?: number;
  /** JSON pointer inside that file. */
  readonly pointer?: string;
  /** Index of the `groups:` entry, for level `group`. */
  readonly group?: number;
}

export interface ExcludeRuleV1 {
  readonly glob: string;
  readonly source: RuleSourceV1;
}

export interface RedactionRuleV1 {
  readonly id: string;
  readonly pattern: string;
  readonly replacement?: string;
  readonly description?: string;
  readonly source: RuleSourceV1;
}

/** Exclusions and redaction rules of one or more projects, stored once per distinct content. */
export interface RuleSetV1 {
  readonly exclude: readonly ExcludeRuleV1[];
  /** Keys into `BundlePayloadV1.redaction_rules`, in the order they apply. */
  readonly redaction: readonly string[];
}

export interface RateLimitsV1 {
  /** Requests per hour; null = no limit. */
  readonly per_user: number | null;
  readonly per_repo: number | null;
  readonly strict: boolean;
}

export interface GroupEntryV1 {
  readonly namespace: string;
  readonly providers: readonly ProviderId[] | null;
  readonly source: RuleSourceV1;
}

export interface OrgSettingsV1 {
  /** Providers the org enables. */
  readonly providers: readonly ProviderId[];
  /** Where each provider's setting is written (absent providers point at the `providers:` key). */
  readonly provider_sources: Readonly<Partial<Record<ProviderId, RuleSourceV1>>>;
  readonly blocked_repos: readonly ExcludeRuleV1[];
  readonly require_config_file: boolean;
  readonly unscoped_requests: 'allow' | 'deny';
  /** Rule set for unscoped requests and for unconfigured projects outside every group. */
  readonly default_rule_set: string;
  readonly max_file_size: number | null;
  readonly max_file_size_source?: RuleSourceV1;
  readonly rate_limits: RateLimitsV1;
  readonly retention_days: number | null;
  readonly groups: readonly GroupEntryV1[];
}

export type ProjectState = 'active' | 'blocked' | 'not_configured' | 'disabled' | 'invalid';

export interface ProjectEntryV1 {
  /** Canonical full path at compile time (matched case-insensitively). */
  readonly path: string;
  readonly state: ProjectState;
  /** For any state but `active`. */
  readonly reason?: ReasonCode;
  readonly reason_detail?: string;
  readonly reason_source?: RuleSourceV1;
  readonly providers: readonly ProviderId[];
  /** Where the repository narrowed the providers (its `allowed_providers`). */
  readonly providers_source?: RuleSourceV1;
  /** Indices of the `org.groups` entries that apply. */
  readonly groups: readonly number[];
  readonly rule_set: string | null;
  readonly max_file_size: number | null;
  readonly max_file_size_source?: RuleSourceV1;
  readonly rate_limits: RateLimitsV1;
  /** The `.aiconfig` this entry was compiled from; null when the project has none. */
  readonly config: { readonly file: string; readonly commit?: string; readonly blob?: string } | null;
}

/** The signed policy: what the proxy enforces is exactly this. */
export interface BundlePayloadV1 {
  readonly schema_version: 1;
  /** Strictly increasing; the proxy refuses anything not above the highest serial it accepted. */
  readonly serial: number;
  readonly issued_at: string;
  readonly expires_at: string;
  readonly issuer: { readonly file: string; readonly policy_repo?: string; readonly commit?: string; readonly compiler: string };
  readonly org: OrgSettingsV1;
  readonly redaction_rules: Readonly<Record<string, RedactionRuleV1>>;
  readonly rule_sets: Readonly<Record<string, RuleSetV1>>;
  /** Keyed by GitLab project id. */
  readonly projects: Readonly<Record<string, ProjectEntryV1>>;
}
