/**
 * Every diagnostic code the compiler half emits, in one place. Codes are stable snake_case strings:
 * CI reports, dashboards and tests key on them, never on message text.
 */
export const DIAGNOSTIC_CODES = [
  // Reading the file.
  'file_unreadable',
  'file_too_large',
  'file_empty',
  'file_kind_unknown',
  'yaml_syntax',
  'yaml_duplicate_key',
  'yaml_multiple_documents',
  'yaml_alias_limit',
  // Schema (JSON Schema 2020-12).
  'schema_type',
  'schema_unknown_property',
  'schema_missing_property',
  'schema_enum',
  'schema_pattern',
  'schema_length',
  'schema_range',
  'schema_duplicate_item',
  'schema_violation',
  // Semantic rules.
  'unknown_provider',
  'provider_not_enabled_by_org',
  'regex_invalid',
  'regex_unsupported',
  'regex_matches_empty',
  'regex_replacement_reference',
  'duplicate_rule_id',
  'glob_parent_segment',
  'glob_absolute',
  'glob_nul',
  'glob_negation',
  'glob_too_complex',
  'glob_backslash',
  'size_invalid',
  'size_above_org',
  'disabled_with_settings',
  'unknown_builtin_rule',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

/**
 * Codes of the GitLab-driven half (compiler service, `compile --from-gitlab`, publishing): what a
 * failed compile, a refused webhook or a failed GitLab call reports on /health, in JSON answers
 * and in logs.
 */
export const SERVICE_CODES = [
  'gitlab_unreachable',
  'gitlab_http_error',
  'gitlab_unauthorized',
  'gitlab_rate_limited',
  'gitlab_graphql_error',
  'org_policy_unreadable',
  'org_policy_invalid',
  'webhook_token_invalid',
  'webhook_payload_invalid',
  'bundle_not_published',
  'publish_failed',
  'package_upload_failed',
] as const;

export type ServiceCode = (typeof SERVICE_CODES)[number];
