import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../policy/decide.ts';
import { activateBundle } from '../../policy/active-bundle.ts';
import { PROVIDER_IDS } from '../../policy/providers.ts';
import { compileFixture } from '../helpers/policy-fixtures.ts';

const FILE_GLOBS = ['*.sql', 'migrations/', '.env', 'secrets/**', 'docs/x.md', '*.key', '**/fixtures/*.json', 'src/', '*.MD'];
const PATTERNS = ['password.*=.*', 'CLIENT_SECRET.*', 'tok_[a-z0-9]{8}', '(?i)secret\\s*=\\s*\\S+', 'x{3,}'];
const PROJECT_GLOBS = ['*/secrets-*', 'compliance/*', 'payments/**', 'team', '**/legacy-*'];
const PROJECT_PATHS = ['team/app', 'team/secrets-db', 'payments/api', 'compliance/audit/x', 'other/legacy-x', 'a/b/c'];
const FILES = ['README.md', 'db/schema.sql', 'app/migrations/1.rb', '.env', 'secrets/a.yml', 'docs/x.md', 'k.key', 'a/fixtures/b.json', 'src/main.ts', 'lib/x.ts'];

const size = fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined });
const limits = fc.record({ per_user: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }), per_repo: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: undefined }) });

const orgPolicy = fc.record({
  providers: fc.subarray([...PROVIDER_IDS]).chain((ids) => fc.tuple(...ids.map(() => fc.boolean())).map((flags) => Object.fromEntries(ids.map((id, i) => [id, { enabled: flags[i] }])))),
  blocked_repos: fc.subarray(PROJECT_GLOBS, { maxLength: 2 }),
  require_config_file: fc.boolean(),
  exclude: fc.subarray(FILE_GLOBS),
  redaction_rules: fc.subarray(PATTERNS).map((ps) => ps.map((pattern, i) => ({ id: `org-${i}`, pattern }))),
  builtin_rules: fc.boolean(),
  max_file_size: size,
  rate_limits: limits,
  groups: fc.array(
    fc.record({
      namespace: fc.constantFrom(...PROJECT_GLOBS),
      providers: fc.option(fc.subarray([...PROVIDER_IDS]), { nil: undefined }),
      exclude: fc.subarray(FILE_GLOBS, { maxLength: 2 }),
      max_file_size: size,
      rate_limits: limits,
    }),
    { maxLength: 2 },
  ),
});

const aiconfig = fc.record({
  ai_access: fc.record({
    enabled: fc.boolean(),
    allowed_providers: fc.option(fc.subarray([...PROVIDER_IDS]), { nil: undefined }),
    exclude: fc.subarray(FILE_GLOBS),
    redact_patterns: fc.subarray(PATTERNS),
    max_file_size: size,
  }),
});

const OPEN_AICONFIG = JSON.stringify({ ai_access: { enabled: true } });
const lte = (a: number | null, b: number | null) => b === null || (a !== null && a <= b);

describe('a repository never loosens the org policy', () => {
  it('for any org policy and .aiconfig, the effective policy is at most the org-only one', () => {
    fc.assert(
      fc.property(orgPolicy, aiconfig, fc.constantFrom(...PROJECT_PATHS), (org, repo, path) => {
        const orgYaml = JSON.stringify(org);
        const base = compileFixture(orgYaml, [{ id: 1, path, aiconfig: OPEN_AICONFIG }]).projects['1']!;
        const withRepo = compileFixture(orgYaml, [{ id: 1, path, aiconfig: JSON.stringify(repo) }]);
        const entry = withRepo.projects['1']!;
        if (base.state !== 'active') expect(entry.state).not.toBe('active');
        if (entry.state !== 'active') return;
        expect(base.state).toBe('active');
        const baseBundle = compileFixture(orgYaml, [{ id: 1, path, aiconfig: OPEN_AICONFIG }]);
        const baseSet = baseBundle.rule_sets[base.rule_set!]!;
        const set = withRepo.rule_sets[entry.rule_set!]!;
        // providers ⊆
        for (const p of entry.providers) expect(base.providers).toContain(p);
        // exclusions ⊇
        const globs = new Set(set.exclude.map((e) => e.glob));
        for (const e of baseSet.exclude) expect(globs).toContain(e.glob);
        // rules ⊇ (by id and pattern)
        const rules = new Set(set.redaction.map((k) => `${withRepo.redaction_rules[k]!.id}\0${withRepo.redaction_rules[k]!.pattern}`));
        for (const k of baseSet.redaction) expect(rules).toContain(`${baseBundle.redaction_rules[k]!.id}\0${baseBundle.redaction_rules[k]!.pattern}`);
        // limits ≤
        expect(lte(entry.max_file_size, base.max_file_size)).toBe(true);
        expect(lte(entry.rate_limits.per_user, base.rate_limits.per_user)).toBe(true);
        expect(lte(entry.rate_limits.per_repo, base.rate_limits.per_repo)).toBe(true);
      }),
      { numRuns: 200 },
    );
  }, 180_000);

  it('for any request, what the repository policy allows the org-only policy allows too', () => {
    const now = Date.now();
    fc.assert(
      fc.property(
        orgPolicy,
        aiconfig,
        fc.constantFrom(...PROJECT_PATHS),
        fc.constantFrom(...PROVIDER_IDS),
        fc.option(fc.constantFrom(...FILES), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 300_000 }), { nil: undefined }),
        (org, repo, path, provider, file, fileSize) => {
          const orgYaml = JSON.stringify(org);
          const withRepo = activateBundle(compileFixture(orgYaml, [{ id: 1, path, aiconfig: JSON.stringify(repo) }], { now }));
          const orgOnly = activateBundle(compileFixture(orgYaml, [{ id: 1, path, aiconfig: OPEN_AICONFIG }], { now }));
          const request = { project: { id: 1, path }, provider, ...(file ? { file } : {}), ...(fileSize !== undefined ? { size: fileSize } : {}), now };
          if (decide(withRepo, request).allow) expect(decide(orgOnly, request).allow).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  }, 180_000);
});
