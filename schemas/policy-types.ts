/**
 * TypeScript shapes of schema-valid policy documents. schemas/*.schema.json are the source of truth;
 * schemas/schemas.test.ts fails when a schema property is missing here (via a fully-populated example
 * typed with these interfaces) or when these allow something the schema rejects.
 */
import type { ProviderId } from '../policy/providers.ts';

export type SizeInput = number | string;

export interface RedactionRuleInput {
  readonly id?: string;
  readonly pattern: string;
  readonly replacement?: string;
  readonly description?: string;
}

/** The `.aiconfig` file. */
export interface AiconfigV1 {
  readonly ai_access: {
    readonly enabled: boolean;
    readonly allowed_providers?: readonly ProviderId[];
    readonly exclude?: readonly string[];
    readonly redact_patterns?: readonly (string | Omit<RedactionRuleInput, 'description'>)[];
    readonly max_file_size?: SizeInput;
  };
}

export interface RateLimitsInput {
  readonly per_user?: number;
  readonly per_repo?: number;
  readonly strict?: boolean;
}

export interface GroupEntryInput {
  readonly namespace: string;
  readonly description?: string;
  readonly providers?: readonly ProviderId[];
  readonly exclude?: readonly string[];
  readonly redaction_rules?: readonly RedactionRuleInput[];
  readonly max_file_size?: SizeInput;
  readonly rate_limits?: RateLimitsInput;
}

/** The organisation policy file (`ai-policy.yml`). */
export interface OrgPolicyV1 {
  readonly version?: 1;
  readonly providers?: Partial<Readonly<Record<ProviderId, { readonly enabled: boolean }>>>;
  readonly blocked_repos?: readonly string[];
  readonly require_config_file?: boolean;
  readonly unscoped_requests?: 'allow' | 'deny';
  readonly exclude?: readonly string[];
  readonly redaction_rules?: readonly RedactionRuleInput[];
  readonly builtin_rules?: boolean | { readonly enabled?: boolean; readonly disable?: readonly string[] };
  readonly max_file_size?: SizeInput;
  readonly rate_limits?: RateLimitsInput;
  readonly audit?: { readonly retention_days?: number };
  readonly groups?: readonly GroupEntryInput[];
}
