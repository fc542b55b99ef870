import { describe, expect, it } from 'vitest';
import { validateBundlePayload } from '../../schemas/generated/bundle-payload.validate.js';
import { canonicalBytes, canonicalize } from '../../policy/canonical-json.ts';
import { checkPayload } from '../../policy/verify-bundle.ts';
import { compileFixture, ORG_YAML, SEED_AICONFIG } from '../../test/helpers/policy-fixtures.ts';

const PLAIN = 'ai_access:\n  enabled: true\n';

describe('compileBundle', () => {
  const payload = compileFixture(ORG_YAML, [
    { id: 1, path: 'team/a', aiconfig: SEED_AICONFIG },
    { id: 2, path: 'team/b', aiconfig: SEED_AICONFIG },
    { id: 3, path: 'team/c', aiconfig: PLAIN },
    { id: 4, path: 'team/d', aiconfig: PLAIN },
    { id: 5, path: 'team/secrets-x', aiconfig: PLAIN },
    { id: 6, path: 'payments/api', aiconfig: PLAIN },
  ]);

  it('produces a payload that matches its schema and is canonical', () => {
    expect(validateBundlePayload(payload), JSON.stringify(validateBundlePayload.errors)).toBe(true);
    expect(checkPayload(canonicalBytes(payload)).ok).toBe(true);
  });

  it('shares one rule set between projects whose effective rules are equal', () => {
    const sets = (ids: string[]) => new Set(ids.map((id) => payload.projects[id]!.rule_set));
    expect(sets(['1', '2']).size).toBe(1);
    expect(sets(['3', '4']).size).toBe(1);
    expect(sets(['1', '3', '6']).size).toBe(3);
    // The two .aiconfig-less rule sets, the seed's, and the payments group's, plus the org default.
    expect(Object.keys(payload.rule_sets).length).toBeLessThanOrEqual(4);
  });

  it('stores each redaction rule once however many rule sets use it', () => {
    const ids = Object.values(payload.redaction_rules).map((r) => `${r.id}:${r.source.level}:${r.source.line ?? ''}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives blocked projects no rule set and a reason', () => {
    expect(payload.projects['5']).toMatchObject({ state: 'blocked', reason: 'repo_blocked', rule_set: null, providers: [] });
  });

  it('narrows providers by group and repository', () => {
    expect(payload.projects['6']!.providers).toEqual(['gitlab-duo']);
    expect(payload.projects['1']!.providers).toEqual(['anthropic', 'github']);
  });

  it('is deterministic for equal input, apart from serial and timestamps', () => {
    const again = compileFixture(ORG_YAML, [
      { id: 1, path: 'team/a', aiconfig: SEED_AICONFIG },
      { id: 2, path: 'team/b', aiconfig: SEED_AICONFIG },
      { id: 3, path: 'team/c', aiconfig: PLAIN },
      { id: 4, path: 'team/d', aiconfig: PLAIN },
      { id: 5, path: 'team/secrets-x', aiconfig: PLAIN },
      { id: 6, path: 'payments/api', aiconfig: PLAIN },
    ]);
    const strip = (p: typeof payload) => canonicalize({ ...p, issued_at: '', expires_at: '' });
    expect(strip(again)).toBe(strip(payload));
  });

  it('records where each exclusion came from', () => {
    const set = payload.rule_sets[payload.projects['1']!.rule_set!]!;
    expect(set.exclude.find((e) => e.glob === '*.sql')?.source).toMatchObject({ level: 'repo', file: '.aiconfig', line: 8 });
    expect(set.exclude.find((e) => e.glob === '.env')?.source).toMatchObject({ level: 'org', file: 'ai-policy.yml' });
  });
});
