import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { compileFixture } from '../helpers/policy-fixtures.ts';
import { writeUnsignedBundle } from './bundle-file.ts';
import { AICONFIG, commitAll, dryRun, git, gitRepo, ORG_POLICY, SECRETS, writeFiles } from './dry-run-fixture.ts';

/** Files whose fate depends on the .aiconfig: an .sql file, a webhook only the repo rule redacts, a 6 KB file. */
const TREE = {
  'db/schema.sql': 'create table t (id int);\n',
  'src/.env.example': `WEBHOOK_URL = ${SECRETS.webhook}\nGITLAB_TOKEN=${SECRETS.gitlab}\n`,
  'src/app.ts': 'export const a = 1;\n',
  'assets/medium.txt': `${'y'.repeat(99)}\n`.repeat(60),
};

/** A repository whose base commit has AICONFIG; `change` edits the work tree for the head commit. */
function repoWithChange(change: (repo: string) => void, base: Record<string, string> = { '.aiconfig': AICONFIG }) {
  const repo = gitRepo({ ...TREE, ...base });
  const org = join(repo, '..', 'ai-policy.yml');
  writeFileSync(org, ORG_POLICY);
  change(repo);
  commitAll(repo, 'change');
  return { repo, org };
}

const LOOSER = `ai_access:
  enabled: true
  allowed_providers: [anthropic, github, openai]
  exclude:
    - "migrations/"
  max_file_size: 10kb
`;

interface DiffJson {
  verdict: string;
  summary: string;
  aiconfigChange: string;
  loosening: string[];
  tightening: string[];
  base: { state: string; allowed: boolean };
  head: { state: string; allowed: boolean; diagnostics: unknown[] };
  policy: { providers: { added: string[]; removed: string[] }; exclusions: { added: { value: string }[]; removed: { value: string; source: string }[] }; redaction: { removed: { value: string }[] } };
  files: { becomeVisible: { path: string; reason: string; rule?: { value: string } }[]; becomeHidden: { path: string }[] };
  secrets: { compared: boolean; noLongerRedacted: { path: string; finding: { rules: string[]; line: number; column: number; preview: string } }[]; newlyRedacted: unknown[] };
}

async function diffJson(repo: string, org: string, extra: string[] = []): Promise<DiffJson> {
  const result = await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app', '--format', 'json', ...extra], repo);
  expect(result.err).toBe('');
  return JSON.parse(result.out) as DiffJson;
}

describe('dry-run diff', () => {
  it('reports a loosening change: provider added, rules removed, files visible, secrets no longer redacted, size raised', async () => {
    const { repo, org } = repoWithChange((r) => writeFiles(r, { '.aiconfig': LOOSER }));
    const report = await diffJson(repo, org);
    expect(report.verdict).toBe('loosens');
    expect(report.aiconfigChange).toBe('modified');
    expect(report.policy.providers.added).toEqual(['openai']);
    expect(report.policy.exclusions.removed).toEqual([{ value: '*.sql', source: '.aiconfig line 5' }]);
    expect(report.policy.redaction.removed.map((r) => r.value)).toEqual(['webhook-url']);
    expect(report.files.becomeVisible).toEqual([
      { path: 'assets/medium.txt', reason: 'file_too_large', rule: { value: 'max_file_size: 4000', source: '.aiconfig line 11' } },
      { path: 'db/schema.sql', reason: 'file_excluded', rule: { value: '*.sql', source: '.aiconfig line 5' } },
    ]);
    expect(report.secrets.noLongerRedacted).toEqual([{ path: 'src/.env.example', finding: { rules: ['webhook-url'], line: 1, column: 15, preview: 'https:****' } }]);
    expect(report.summary).toBe('⚠️ loosens: 1 secret no longer redacted, 2 files become visible to AI, provider openai added, max file size raised 3.91 KiB → 9.77 KiB and 2 more');
    const strict = await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app', '--fail-on', 'loosening'], repo);
    expect(strict.code).toBe(EXIT.failed);
  });

  it('writes a markdown comment: summary first, details folded and capped', async () => {
    const { repo, org } = repoWithChange((r) => {
      writeFiles(r, { '.aiconfig': LOOSER });
      for (let i = 0; i < 30; i++) writeFiles(r, { [`db/m${String(i).padStart(2, '0')}.sql`]: 'select 1;\n' });
    });
    const { out, code } = await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app', '--format', 'markdown'], repo);
    expect(code).toBe(EXIT.ok);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^⚠️ loosens: 1 secret no longer redacted, 32 files become visible to AI, provider openai added/);
    expect(out).toContain('<details><summary>32 files become visible to AI</summary>');
    expect(out).toContain('…and 12 more');
    expect(out).toContain('| `src/.env.example` | 1:15 | `webhook-url` | `https:****` |');
  });

  it('reports a tightening change as such and passes --fail-on loosening', async () => {
    const { repo, org } = repoWithChange((r) => writeFiles(r, { '.aiconfig': AICONFIG.replace('    - "migrations/"\n', '    - "migrations/"\n    - "assets/"\n').replace('[anthropic, github]', '[anthropic]') }));
    const report = await diffJson(repo, org);
    expect(report.verdict).toBe('tightens');
    expect(report.summary).toBe('✅ tightens only: provider github removed, exclusion "assets/" added');
    expect(report.secrets.compared).toBe(false);
    expect((await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app', '--fail-on', 'loosening'], repo)).code).toBe(EXIT.ok);
  });

  it('handles .aiconfig deleted at head: the repository becomes denied', async () => {
    const { repo, org } = repoWithChange((r) => git(r, 'rm', '-q', '.aiconfig'));
    const report = await diffJson(repo, org);
    expect(report.aiconfigChange).toBe('deleted');
    expect(report.head).toMatchObject({ allowed: false, state: 'not_configured' });
    expect(report.tightening[0]).toBe('repository becomes denied (repo_not_configured)');
    expect(report.files.becomeHidden.map((f) => f.path)).toEqual(['src/.env.example', 'src/app.ts']);
  });

  it('handles .aiconfig renamed between refs: only the root file counts', async () => {
    const { repo, org } = repoWithChange((r) => git(r, 'mv', '.aiconfig', 'docs/aiconfig.old'), { '.aiconfig': AICONFIG, 'docs/readme.md': 'x\n' });
    const report = await diffJson(repo, org);
    expect(report.aiconfigChange).toBe('renamed to docs/aiconfig.old (only the root .aiconfig counts: head has none)');
    expect(report.head.state).toBe('not_configured');
    // And back: base without, head with (renamed from) → denied becomes allowed, a loosening.
    git(repo, 'mv', 'docs/aiconfig.old', '.aiconfig');
    commitAll(repo, 'back');
    const back = await diffJson(repo, org);
    expect(back.aiconfigChange).toBe('renamed from docs/aiconfig.old');
    expect(back.loosening[0]).toBe('repository goes from denied (repo_not_configured) to allowed');
  });

  it('says an invalid head .aiconfig denies everything, with the first diagnostic', async () => {
    const { repo, org } = repoWithChange((r) => writeFiles(r, { '.aiconfig': 'ai_access:\n  enabled: yes\n' }));
    const report = await diffJson(repo, org);
    expect(report.verdict).toBe('invalid');
    expect(report.summary).toMatch(/^⛔ invalid \.aiconfig: every AI request for team\/app will be denied \(\.aiconfig:2:12 schema_type: /);
    expect(report.head.diagnostics.length).toBeGreaterThan(0);
    const text = await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app'], repo);
    expect(text.out.split('\n')[0]).toMatch(/^⛔ invalid \.aiconfig/);
  });

  it('reports no change when the policy is the same', async () => {
    const { repo, org } = repoWithChange((r) => writeFiles(r, { 'src/new.ts': 'export {};\n' }));
    const { out } = await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app'], repo);
    expect(out.split('\n')[0]).toBe('✅ no change in what AI can see');
  });

  it('with --bundle compares what a proxy enforces now against the head compiled with --org-policy', async () => {
    const { repo, org } = repoWithChange((r) => writeFiles(r, { '.aiconfig': LOOSER }));
    const bundle = writeUnsignedBundle(join(repo, '..'), compileFixture(ORG_POLICY, [{ id: 9, path: 'team/app', aiconfig: AICONFIG }]));
    const { out, code } = await dryRun(['diff', '--bundle', bundle, '--org-policy', org, '--repo', 'team/app', '--format', 'json'], repo);
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(out) as DiffJson & { base: { label: string } };
    expect(report.base.label).toBe(`bundle ${bundle}`);
    expect(report.policy.providers.added).toEqual(['openai']);
    expect(report.secrets.noLongerRedacted[0]?.finding.rules).toEqual(['webhook-url']);
    expect((await dryRun(['diff', '--bundle', bundle, '--repo', 'team/app'], repo)).code).toBe(EXIT.usage);
    expect((await dryRun(['diff', '--bundle', bundle, '--org-policy', org, '--base', 'HEAD~1', '--repo', 'team/app'], repo)).code).toBe(EXIT.usage);
    expect((await dryRun(['diff', '--bundle', bundle, '--org-policy', org], repo)).code).toBe(EXIT.usage);
  });

  it('exits 2 for a ref that is not a commit or looks like an option, and outside a checkout', async () => {
    const { repo, org } = repoWithChange(() => {});
    expect((await dryRun(['diff', '--base', 'no-such-ref', '--org-policy', org], repo)).code).toBe(EXIT.usage);
    expect((await dryRun(['diff', '--base', '--output=/tmp/x', '--org-policy', org], repo)).code).toBe(EXIT.usage);
    expect((await dryRun(['diff', '--base', 'HEAD', '--org-policy', org], join(repo, '..'))).code).toBe(EXIT.usage);
  });
});
