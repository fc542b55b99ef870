import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DiagnosticCode } from '../codes.ts';
import type { PolicyKind } from './schema-registry.ts';
import { validatePolicy } from './validate-policy.ts';

interface Case {
  readonly name: string;
  readonly kind: PolicyKind;
  readonly text: string;
  /** [code, line, column] of a diagnostic that must be present. */
  readonly expect: readonly [DiagnosticCode, number, number];
  readonly severity?: 'error' | 'warning';
  readonly org?: unknown;
}

const aiconfig = (body: string) => `ai_access:\n  enabled: true\n${body}`;

const ORG_ANTHROPIC_ONLY = { providers: { anthropic: { enabled: true } }, max_file_size: '100kb' };

const CASES: readonly Case[] = [
  // YAML
  { name: 'tab-broken YAML mapping', kind: 'aiconfig', text: 'ai_access:\n  enabled: true\n   exclude: [a]\n', expect: ['yaml_syntax', 2, 12] },
  { name: 'unclosed flow sequence', kind: 'aiconfig', text: aiconfig('  exclude: ["a",\n'), expect: ['yaml_syntax', 4, 1] },
  { name: 'duplicate key', kind: 'aiconfig', text: 'ai_access:\n  enabled: true\n  enabled: false\n', expect: ['yaml_duplicate_key', 3, 3] },
  { name: 'duplicate top-level key in org policy', kind: 'org-policy', text: 'exclude: [a]\nexclude: [b]\n', expect: ['yaml_duplicate_key', 2, 1] },
  { name: 'two YAML documents', kind: 'aiconfig', text: aiconfig('---\nai_access: {enabled: false}\n'), expect: ['yaml_multiple_documents', 3, 1] },
  { name: 'empty file', kind: 'aiconfig', text: '# only a comment\n', expect: ['file_empty', 1, 1] },
  { name: 'alias bomb', kind: 'org-policy', text: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${'*a, '.repeat(60)}*a]\nc: [${'*b, '.repeat(60)}*b]\n`, expect: ['yaml_alias_limit', 1, 1] },
  // Schema
  { name: 'missing ai_access', kind: 'aiconfig', text: 'enabled: true\n', expect: ['schema_missing_property', 1, 1] },
  { name: 'missing enabled', kind: 'aiconfig', text: 'ai_access:\n  exclude: [a]\n', expect: ['schema_missing_property', 1, 1] },
  { name: 'yes is not a boolean in YAML 1.2', kind: 'aiconfig', text: 'ai_access:\n  enabled: yes\n', expect: ['schema_type', 2, 12] },
  { name: 'misspelled property', kind: 'aiconfig', text: aiconfig('  exlude: [a]\n'), expect: ['schema_unknown_property', 3, 3] },
  { name: 'unknown top-level property', kind: 'aiconfig', text: aiconfig('extra: 1\n'), expect: ['schema_unknown_property', 3, 1] },
  { name: 'exclude is a string, not a list', kind: 'aiconfig', text: aiconfig('  exclude: "*.sql"\n'), expect: ['schema_type', 3, 12] },
  { name: 'misspelled provider', kind: 'aiconfig', text: aiconfig('  allowed_providers: [anthropic, antropic]\n'), expect: ['unknown_provider', 3, 34] },
  { name: 'provider listed twice', kind: 'aiconfig', text: aiconfig('  allowed_providers:\n    - github\n    - github\n'), expect: ['schema_duplicate_item', 5, 7] },
  { name: 'empty glob', kind: 'aiconfig', text: aiconfig('  exclude: [""]\n'), expect: ['schema_length', 3, 13] },
  { name: 'rule id with spaces', kind: 'aiconfig', text: aiconfig('  redact_patterns:\n    - id: My Rule\n      pattern: x+\n'), expect: ['schema_pattern', 4, 11] },
  { name: 'rule object without pattern', kind: 'org-policy', text: 'redaction_rules:\n  - id: a\n    replacement: b\n', expect: ['schema_missing_property', 2, 5] },
  { name: 'unknown provider key in org map', kind: 'org-policy', text: 'providers:\n  anthropic: {enabled: true}\n  copilot: {enabled: true}\n', expect: ['unknown_provider', 3, 3] },
  { name: 'provider settings without enabled', kind: 'org-policy', text: 'providers:\n  openai: {}\n', expect: ['schema_missing_property', 2, 3] },
  { name: 'unscoped_requests typo', kind: 'org-policy', text: 'unscoped_requests: alow\n', expect: ['schema_enum', 1, 20] },
  { name: 'negative rate limit', kind: 'org-policy', text: 'rate_limits:\n  per_user: 0\n', expect: ['schema_range', 2, 13] },
  { name: 'retention is text', kind: 'org-policy', text: 'audit:\n  retention_days: ninety\n', expect: ['schema_type', 2, 19] },
  { name: 'version 2 does not exist', kind: 'org-policy', text: 'version: 2\n', expect: ['schema_enum', 1, 10] },
  { name: 'group entry without namespace', kind: 'org-policy', text: 'groups:\n  - providers: [gitlab-duo]\n', expect: ['schema_missing_property', 2, 5] },
  { name: 'builtin_rules with unknown key', kind: 'org-policy', text: 'builtin_rules:\n  enable: false\n', expect: ['schema_unknown_property', 2, 3] },
  // Regexes
  { name: 'lookahead', kind: 'aiconfig', text: aiconfig('  redact_patterns:\n    - "secret(?=:)"\n'), expect: ['regex_unsupported', 4, 14] },
  { name: 'lookbehind in an org rule', kind: 'org-policy', text: 'redaction_rules:\n  - id: lb\n    pattern: (?<=key=)\\w+\n', expect: ['regex_unsupported', 3, 14] },
  { name: 'backreference', kind: 'aiconfig', text: aiconfig("  redact_patterns:\n    - '([a-z])\\1'\n"), expect: ['regex_unsupported', 4, 15] },
  { name: 'unbalanced bracket', kind: 'aiconfig', text: aiconfig('  redact_patterns:\n    - "[a-z"\n'), expect: ['regex_invalid', 4, 8] },
  { name: 'pattern that matches empty text', kind: 'aiconfig', text: aiconfig('  redact_patterns:\n    - "(secret)?"\n'), expect: ['regex_matches_empty', 4, 8] },
  { name: 'word boundary alone matches empty', kind: 'org-policy', text: 'redaction_rules:\n  - pattern: \\b\n', expect: ['regex_matches_empty', 2, 14] },
  { name: 'replacement refers to a missing group', kind: 'org-policy', text: 'redaction_rules:\n  - id: r\n    pattern: "(key)=\\\\S+"\n    replacement: "$1=$2"\n', expect: ['regex_replacement_reference', 4, 18] },
  { name: 'replacement refers to a missing name', kind: 'aiconfig', text: aiconfig('  redact_patterns:\n    - {id: r, pattern: "(?P<k>key)=\\\\S+", replacement: "${v}"}\n'), expect: ['regex_replacement_reference', 4, 56] },
  { name: 'duplicate rule id', kind: 'org-policy', text: 'redaction_rules:\n  - {id: a, pattern: x+}\n  - {id: a, pattern: y+}\n', expect: ['duplicate_rule_id', 3, 10] },
  { name: 'duplicate rule id across org and group', kind: 'org-policy', text: 'redaction_rules:\n  - {id: a, pattern: x+}\ngroups:\n  - namespace: p/**\n    redaction_rules:\n      - {id: a, pattern: y+}\n', expect: ['duplicate_rule_id', 6, 14] },
  { name: 'rule id taken by a built-in rule', kind: 'aiconfig', text: aiconfig('  redact_patterns:\n    - {id: gitlab-pat, pattern: "glpat-x+"}\n'), expect: ['duplicate_rule_id', 4, 12] },
  { name: 'rule id taken by an org rule', kind: 'aiconfig', text: aiconfig('  redact_patterns:\n    - {id: org-pw, pattern: "pw=x+"}\n'), expect: ['duplicate_rule_id', 4, 12], org: { redaction_rules: [{ id: 'org-pw', pattern: 'pw.*' }] } },
  { name: 'disabling a built-in rule that does not exist', kind: 'org-policy', text: 'builtin_rules:\n  disable: [gitlab-pta]\n', expect: ['unknown_builtin_rule', 2, 13], severity: 'warning' },
  // Globs
  { name: 'glob with ..', kind: 'aiconfig', text: aiconfig('  exclude: ["docs/../secrets.md"]\n'), expect: ['glob_parent_segment', 3, 19] },
  { name: 'absolute glob', kind: 'aiconfig', text: aiconfig('  exclude:\n    - /etc/passwd\n'), expect: ['glob_absolute', 4, 7] },
  { name: 'windows absolute glob', kind: 'org-policy', text: 'exclude: ["C:/secrets"]\n', expect: ['glob_absolute', 1, 12] },
  { name: 'NUL in glob', kind: 'aiconfig', text: aiconfig('  exclude: ["a.md\\0.txt"]\n'), expect: ['glob_nul', 3, 18] },
  { name: 'negation glob', kind: 'aiconfig', text: aiconfig('  exclude: ["!README.md"]\n'), expect: ['glob_negation', 3, 14] },
  { name: 'too many stars in a segment', kind: 'org-policy', text: 'exclude:\n  - "src/*a*b*c*d.ts"\n', expect: ['glob_too_complex', 2, 10] },
  { name: 'too many globstars', kind: 'org-policy', text: 'blocked_repos: ["**/a/**/b/**"]\n', expect: ['glob_too_complex', 1, 18] },
  { name: 'backslash as separator', kind: 'aiconfig', text: aiconfig("  exclude: ['config\\secrets.yml']\n"), expect: ['glob_backslash', 3, 20], severity: 'warning' },
  { name: 'negation in a group exclude', kind: 'org-policy', text: 'groups:\n  - namespace: a/**\n    exclude: ["!x"]\n', expect: ['glob_negation', 3, 16] },
  // Sizes
  { name: 'unparsable size', kind: 'aiconfig', text: aiconfig('  max_file_size: 100 kilobytes\n'), expect: ['size_invalid', 3, 18] },
  { name: 'unparsable group size', kind: 'org-policy', text: 'groups:\n  - namespace: a\n    max_file_size: lots\n', expect: ['size_invalid', 3, 20] },
  { name: 'negative byte size', kind: 'org-policy', text: 'max_file_size: -5\n', expect: ['schema_range', 1, 16] },
  // Cross-checks and warnings
  { name: 'provider the org does not enable', kind: 'aiconfig', text: aiconfig('  allowed_providers: [anthropic, github]\n'), expect: ['provider_not_enabled_by_org', 3, 34], severity: 'warning', org: ORG_ANTHROPIC_ONLY },
  { name: 'repo size above the org limit', kind: 'aiconfig', text: aiconfig('  max_file_size: 1mb\n'), expect: ['size_above_org', 3, 18], severity: 'warning', org: ORG_ANTHROPIC_ONLY },
  { name: 'group provider the org does not enable', kind: 'org-policy', text: 'providers:\n  anthropic: {enabled: true}\ngroups:\n  - namespace: p\n    providers: [gitlab-duo]\n', expect: ['provider_not_enabled_by_org', 5, 17], severity: 'warning' },
  { name: 'disabled file still lists providers', kind: 'aiconfig', text: 'ai_access:\n  enabled: false\n  allowed_providers: [anthropic]\n', expect: ['disabled_with_settings', 3, 3], severity: 'warning' },
];

describe('validatePolicy reports each invalid document at the offending position', () => {
  it('has at least 30 named cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  it.each(CASES)('$name', (c) => {
    const result = validatePolicy(c.kind, 'policy.yml', c.text, { org: c.org });
    const [code, line, column] = c.expect;
    const found = result.diagnostics.map((d) => [d.code, d.line, d.column, d.severity]);
    expect(found, JSON.stringify(found)).toContainEqual([code, line, column, c.severity ?? 'error']);
    expect(result.valid).toBe((c.severity ?? 'error') === 'warning' && result.diagnostics.every((d) => d.severity === 'warning'));
  });
});

describe('validatePolicy on good documents', () => {
  it('accepts the shipped examples without findings', () => {
    for (const [kind, file] of [
      ['aiconfig', 'examples/.aiconfig'],
      ['aiconfig', 'examples/payments-api.aiconfig'],
      ['org-policy', 'examples/ai-policy.yml'],
    ] as const) {
      const result = validatePolicy(kind, file, readFileSync(file, 'utf8'));
      expect(result.diagnostics, file).toEqual([]);
    }
  });

  it('accepts JSON, since YAML 1.2 is a superset of it', () => {
    const result = validatePolicy('aiconfig', '.aiconfig', '{"ai_access": {"enabled": true, "exclude": ["*.sql"]}}');
    expect(result.diagnostics).toEqual([]);
  });

  it('reports every schema error, not only the first', () => {
    const result = validatePolicy('aiconfig', '.aiconfig', aiconfig('  exclude: 5\n  allowed_providers: [x, y]\n  max_file_size: true\n'));
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['schema_type', 'schema_type', 'unknown_provider', 'unknown_provider']);
  });

  it('suggests the closest provider and the YAML 1.2 boolean spelling', () => {
    const typo = validatePolicy('aiconfig', '.aiconfig', aiconfig('  allowed_providers: [gitlab_duo]\n'));
    expect(typo.diagnostics[0]?.hint).toBe('did you mean "gitlab-duo"?');
    const yes = validatePolicy('aiconfig', '.aiconfig', 'ai_access:\n  enabled: on\n');
    expect(yes.diagnostics[0]?.hint).toMatch(/write true or false/);
  });
});
