import { describe, expect, it } from 'vitest';
import { activeFixture, ORG_YAML, SEED_AICONFIG } from '../test/helpers/policy-fixtures.ts';
import { decide, type Decision } from './decide.ts';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const bundle = activeFixture(
  ORG_YAML,
  [
    { id: 1, path: 'team/app', aiconfig: SEED_AICONFIG },
    { id: 2, path: 'team/secrets-db', aiconfig: SEED_AICONFIG },
    { id: 3, path: 'team/no-config' },
    { id: 4, path: 'team/off', aiconfig: 'ai_access:\n  enabled: false\n' },
    { id: 5, path: 'team/broken', aiconfig: 'ai_access:\n  enabled: true\n  allowed_providers: [antropic]\n' },
    { id: 6, path: 'payments/api', aiconfig: 'ai_access:\n  enabled: true\n' },
    { id: 7, path: 'team/small', aiconfig: 'ai_access:\n  enabled: true\n  max_file_size: 1kb\n' },
  ],
  { now: NOW },
);
const at = { now: NOW };

function denied(d: Decision) {
  if (d.allow) throw new Error('expected a denial');
  return d;
}

describe('decide', () => {
  it('allows a configured repository and provider', () => {
    const d = decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', ...at });
    expect(d.allow).toBe(true);
  });

  it.each([
    ['bundle_missing', () => decide(undefined, { project: { id: 1, path: 'team/app' }, provider: 'anthropic' })],
    ['bundle_expired', () => decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', now: NOW + 3_600_001 })],
    ['repo_required', () => decide(bundle, { provider: 'anthropic', ...at })],
    ['repo_blocked', () => decide(bundle, { project: { id: 2, path: 'team/secrets-db' }, provider: 'anthropic', ...at })],
    ['repo_not_configured', () => decide(bundle, { project: { id: 3, path: 'team/no-config' }, provider: 'anthropic', ...at })],
    ['repo_disabled', () => decide(bundle, { project: { id: 4, path: 'team/off' }, provider: 'anthropic', ...at })],
    ['repo_config_invalid', () => decide(bundle, { project: { id: 5, path: 'team/broken' }, provider: 'anthropic', ...at })],
    ['provider_not_allowed', () => decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'openai', ...at })],
    ['path_invalid', () => decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', file: '../etc/passwd', ...at })],
    ['file_excluded', () => decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', file: 'db/schema.sql', ...at })],
    ['file_too_large', () => decide(bundle, { project: { id: 7, path: 'team/small' }, provider: 'anthropic', file: 'README.md', size: 2000, ...at })],
  ] as const)('denies with %s', (reason, run) => {
    expect(denied(run()).reason).toBe(reason);
  });

  it('cites the .aiconfig line that narrowed the providers', () => {
    const d = denied(decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'openai', ...at }));
    expect(d.message).toBe('aigate: provider openai is not allowed for team/app (.aiconfig line 3)');
    expect(d.rule).toMatchObject({ kind: 'provider', value: 'openai', source: { level: 'repo', line: 3 } });
  });

  it('cites the org policy when the org does not enable a provider', () => {
    const d = denied(decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'codeium', ...at }));
    expect(d.message).toMatch(/provider codeium is not allowed for team\/app \(ai-policy.yml line \d+\)/);
  });

  it('cites the group entry that narrowed the providers', () => {
    const d = denied(decide(bundle, { project: { id: 6, path: 'payments/api' }, provider: 'anthropic', ...at }));
    expect(d.message).toMatch(/ai-policy.yml line \d+, groups\[0\]/);
    expect(decide(bundle, { project: { id: 6, path: 'payments/api' }, provider: 'gitlab-duo', ...at }).allow).toBe(true);
  });

  it('names the glob and its source for an excluded file', () => {
    const d = denied(decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'github', file: 'Docs/Architecture/Security-Design.md', ...at }));
    expect(d.message).toBe('aigate: Docs/Architecture/Security-Design.md is excluded from AI by "docs/architecture/security-design.md" (.aiconfig line 9)');
  });

  it('applies org exclusions in every repository', () => {
    expect(denied(decide(bundle, { project: { id: 6, path: 'payments/api' }, provider: 'gitlab-duo', file: 'svc/.env', ...at })).reason).toBe('file_excluded');
    expect(denied(decide(bundle, { project: { id: 6, path: 'payments/api' }, provider: 'gitlab-duo', file: 'a/cardholder-data/x.csv', ...at })).reason).toBe('file_excluded');
  });

  it('takes the smallest size limit of all levels', () => {
    expect(decide(bundle, { project: { id: 6, path: 'payments/api' }, provider: 'gitlab-duo', file: 'a.txt', size: 64_000, ...at }).allow).toBe(true);
    expect(denied(decide(bundle, { project: { id: 6, path: 'payments/api' }, provider: 'gitlab-duo', file: 'a.txt', size: 64_001, ...at })).reason).toBe('file_too_large');
  });

  it('blocks by the live path: a project renamed into a blocked namespace is blocked at once', () => {
    expect(denied(decide(bundle, { project: { id: 1, path: 'compliance/app' }, provider: 'anthropic', ...at })).reason).toBe('repo_blocked');
  });

  it('denies a project moved under a group it was not compiled with', () => {
    expect(denied(decide(bundle, { project: { id: 1, path: 'payments/app' }, provider: 'anthropic', ...at })).reason).toBe('repo_not_configured');
  });

  it('does not let a project recreated with a new id inherit the old entry', () => {
    expect(denied(decide(bundle, { project: { id: 999, path: 'team/app' }, provider: 'anthropic', ...at })).reason).toBe('repo_not_configured');
  });

  it('returns the normalised path to fetch', () => {
    const d = decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', file: './src//main.ts', ...at });
    expect(d.allow && d.file).toBe('src/main.ts');
  });
});
