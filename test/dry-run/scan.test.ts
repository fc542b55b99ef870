import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dryRun, ORG_POLICY, SECRETS, writeFiles } from './dry-run-fixture.ts';
import { scanFixture } from './scan-fixture.ts';
import { findAll, parseXml } from './xml-parse.ts';

interface JsonFile {
  path: string;
  status: string;
  skip?: string;
  symlink?: string;
  invalidUtf8?: boolean;
  rule?: { value: string; source: string; line?: number };
  redactions?: { rules: string[]; line: number; column: number; preview: string }[];
}

async function scanJson(args: string[] = [], fixture = scanFixture()) {
  const { repo, org } = fixture;
  const result = await dryRun(['scan', repo, '--org-policy', org, '--repo', 'team/app', '--format', 'json', ...args], repo);
  expect(result.err).toBe('');
  const report = JSON.parse(result.out) as { files: JsonFile[]; summary: Record<string, number>; mode: string };
  const byPath = new Map(report.files.map((f) => [f.path, f]));
  return { report, byPath, result, repo };
}

describe('dry-run scan', () => {
  it('reports exclusions with their rule and source, size, redactions with rule, line, column and a masked preview', async () => {
    const { report, byPath } = await scanJson();
    expect(report.mode).toBe('git');
    expect(byPath.get('db/schema.sql')).toMatchObject({ status: 'excluded', rule: { value: '*.sql', source: '.aiconfig line 5', line: 5 } });
    expect(byPath.get('migrations/001_init.rb')).toMatchObject({ status: 'excluded', rule: { value: 'migrations/' } });
    expect(byPath.get('certs/server.key')).toMatchObject({ status: 'excluded', rule: { value: '*.key', source: expect.stringMatching(/ai-policy\.yml line 9$/) } });
    expect(byPath.get('assets/big.txt')).toMatchObject({ status: 'too_large', rule: { value: 'max_file_size: 4000', source: '.aiconfig line 11' } });
    expect(byPath.get('src/config.ts')?.redactions).toEqual([{ rules: ['gitlab-pat'], line: 2, column: 23, preview: 'glpat-****' }]);
    expect(byPath.get('src/deploy.sh')?.redactions?.map((r) => [r.rules[0], r.line, r.column])).toEqual([['github-pat', 2, 14], ['aws-access-key-id', 3, 26]]);
    const env = byPath.get('src/.env.example')?.redactions;
    expect(env?.[0]).toMatchObject({ rules: ['webhook-url'], line: 1, column: 15, preview: 'https:****' });
    expect(env?.[1]).toMatchObject({ rules: ['slack-bot-token'], line: 2, column: 13, preview: 'xoxb-****' });
    expect(byPath.get('src/clean.ts')).toEqual({ path: 'src/clean.ts', status: 'visible', size: 20 });
    expect(report.summary).toMatchObject({ excluded: 3, tooLarge: 1 });
  });

  it('skips binary files and scans non-UTF-8 text as decoded with replacement', async () => {
    const { byPath } = await scanJson();
    expect(byPath.get('assets/logo.png')).toMatchObject({ status: 'skipped', skip: 'binary' });
    expect(byPath.get('assets/logo.png')?.redactions).toBeUndefined();
    const latin1 = byPath.get('legacy/latin1.txt');
    expect(latin1).toMatchObject({ status: 'visible', invalidUtf8: true });
    expect(latin1?.redactions?.[0]).toMatchObject({ line: 2, rules: expect.arrayContaining(['password-assignment']) });
  });

  it('scans a symlink inside the tree as its target and never reads a target outside it', async () => {
    const { byPath } = await scanJson();
    expect(byPath.get('src/link-inside.ts')).toMatchObject({ status: 'visible', symlink: 'src/config.ts', redactions: [{ rules: ['gitlab-pat'], line: 2 }] });
    // The outside file holds a GitLab token: a scan that read it would report a redaction.
    expect(byPath.get('outside-link')).toEqual({ path: 'outside-link', status: 'skipped', skip: 'symlink_outside' });
    // Opening the FIFO for reading would block this test until it times out.
    expect(byPath.get('outside-fifo')).toEqual({ path: 'outside-fifo', status: 'skipped', skip: 'symlink_outside' });
    expect(byPath.get('outside-dir')).toEqual({ path: 'outside-dir', status: 'skipped', skip: 'symlink_outside' });
  });

  it('gives the same results with worker threads', async () => {
    const fixture = scanFixture();
    const single = await scanJson(['--jobs', '1'], fixture);
    const workers = await scanJson(['--jobs', '2'], fixture);
    expect(workers.report.files).toEqual(single.report.files);
  });

  it('prints text: one line per finding and a summary', async () => {
    const { repo, org } = scanFixture();
    const { code, out } = await dryRun(['scan', '--org-policy', org, '--repo', 'team/app'], repo);
    expect(code).toBe(EXIT.ok);
    expect(out).toContain('excluded   db/schema.sql  by "*.sql" (.aiconfig line 5)');
    expect(out).toContain('redacted   src/config.ts:2:23  gitlab-pat  glpat-****');
    expect(out).toContain('skipped    assets/logo.png  binary');
    expect(out).toContain('too large  assets/big.txt  7.91 KiB, max_file_size: 4000 (.aiconfig line 11)');
    expect(out).toMatch(/^\d+ files: \d+ visible \(\d+ redactions in 5 files\), 3 excluded, 1 too large, 4 skipped; 1 file not valid UTF-8$/m);
  });

  it('writes GitLab Code Quality JSON with repo-relative paths, lines and stable fingerprints', async () => {
    const { repo, org } = scanFixture();
    const first = await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--format', 'codequality'], repo);
    const issues = JSON.parse(first.out) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
    const pat = issues.find((i) => i.check_name === 'aigate/redaction/gitlab-pat' && i.location.path === 'src/config.ts');
    expect(pat).toMatchObject({ severity: 'major', location: { path: 'src/config.ts', lines: { begin: 2 } } });
    expect(pat?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(issues.find((i) => i.location.path === 'db/schema.sql')).toMatchObject({ check_name: 'aigate/file_excluded', severity: 'info' });
    expect(issues.every((i) => !i.location.path.startsWith('./') && !i.location.path.startsWith('/'))).toBe(true);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    const second = await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--format', 'codequality'], repo);
    expect((JSON.parse(second.out) as { fingerprint: string }[]).map((i) => i.fingerprint)).toEqual(issues.map((i) => i.fingerprint));
  });

  it('writes well-formed JUnit XML with one testcase per file', async () => {
    const { repo, org } = scanFixture();
    const { out } = await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--format', 'junit'], repo);
    const doc = parseXml(out);
    const cases = findAll(doc, 'testcase');
    const json = JSON.parse((await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--format', 'json'], repo)).out) as { files: JsonFile[] };
    expect(cases.map((c) => c.attributes['name'])).toEqual(json.files.map((f) => f.path));
    const byName = new Map(cases.map((c) => [c.attributes['name'], c]));
    expect(byName.get('db/schema.sql')?.children[0]).toMatchObject({ name: 'failure', attributes: { type: 'excluded' } });
    expect(byName.get('assets/big.txt')?.children[0]).toMatchObject({ name: 'failure', attributes: { type: 'too_large' } });
    expect(byName.get('src/config.ts')?.children[0]?.text).toContain('line 2 column 23: gitlab-pat glpat-****');
    expect(byName.get('assets/logo.png')?.children[0]?.name).toBe('skipped');
    expect(byName.get('src/clean.ts')?.children).toEqual([]);
    expect(doc.attributes['failures']).toBe(String(cases.filter((c) => c.children[0]?.name === 'failure').length));
  });

  it('writes a markdown report whose first line is the summary', async () => {
    const { repo, org } = scanFixture();
    const { out } = await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--format', 'markdown'], repo);
    expect(out.split('\n')[0]).toMatch(/^🔐 \*\*aigate dry-run scan\*\* of `team\/app`: \d+ files: .*3 excluded, 1 too large/);
    expect(out).toContain('<details><summary>3 files excluded from AI</summary>');
    expect(out).toContain('| `src/config.ts` | 2:23 | `gitlab-pat` | `glpat-****` |');
  });

  it('--fail-on secrets and --fail-on excluded exit 1; extra reports go to files', async () => {
    const { repo, org } = scanFixture();
    const cq = join(repo, '..', 'cq.json');
    const junit = join(repo, '..', 'junit.xml');
    expect((await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--fail-on', 'secrets', '--codequality', cq, '--junit', junit], repo)).code).toBe(EXIT.failed);
    expect(JSON.parse(readFileSync(cq, 'utf8'))).toBeInstanceOf(Array);
    expect(findAll(parseXml(readFileSync(junit, 'utf8')), 'testcase').length).toBeGreaterThan(10);
    expect((await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--fail-on', 'excluded'], repo)).code).toBe(EXIT.failed);
    const clean = tempDir({ '.aiconfig': 'ai_access:\n  enabled: true\n', 'a.ts': 'export {};\n' });
    expect((await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--fail-on', 'secrets'], clean)).code).toBe(EXIT.ok);
  });

  it('walks a directory that is not a git checkout, without descending into symlinks', async () => {
    const dir = tempDir({ '.aiconfig': 'ai_access:\n  enabled: true\n', 'src/a.ts': `const t = "${SECRETS.gitlab}";\n`, '.git-not/x': 'y' });
    writeFiles(dir, { 'ai-policy.yml': ORG_POLICY });
    const { out } = await dryRun(['scan', '.', '--org-policy', 'ai-policy.yml', '--format', 'json'], dir, { CI_PROJECT_PATH: 'team/walked' });
    const report = JSON.parse(out) as { mode: string; project: string; files: JsonFile[] };
    expect(report).toMatchObject({ mode: 'walk', project: 'team/walked' });
    expect(report.files.find((f) => f.path === 'src/a.ts')?.redactions?.[0]?.preview).toBe('glpat-****');
  });

  it('reports a denied repository (invalid .aiconfig, blocked, not configured) without scanning', async () => {
    const dir = tempDir({ '.aiconfig': 'ai_access:\n  enabled: yes\n', 'a.ts': `x = "${SECRETS.gitlab}"\n`, 'ai-policy.yml': ORG_POLICY });
    const invalid = await dryRun(['scan', '--org-policy', 'ai-policy.yml', '--repo', 'team/app'], dir);
    expect(invalid.out).toMatch(/DENIED \(repo_config_invalid\): aigate: team\/app has an invalid \.aiconfig.*first: \.aiconfig:2:12 schema_type/);
    expect(invalid.out).toContain('nothing was scanned');
    const blocked = await dryRun(['scan', '--org-policy', 'ai-policy.yml', '--repo', 'team/secrets-db', '--format', 'junit'], dir);
    expect(findAll(parseXml(blocked.out), 'failure')[0]?.attributes['type']).toBe('repo_blocked');
  });

  it('uses a bundle with --repo, and says when the local .aiconfig is not what the bundle holds', async () => {
    const { repo } = scanFixture();
    const { compileFixture } = await import('../helpers/policy-fixtures.ts');
    const { writeUnsignedBundle } = await import('./bundle-file.ts');
    const bundle = writeUnsignedBundle(join(repo, '..'), compileFixture(ORG_POLICY, [{ id: 7, path: 'team/app', aiconfig: 'ai_access:\n  enabled: true\n' }]));
    const { out, code } = await dryRun(['scan', '--bundle', bundle, '--repo', 'team/app', '--format', 'json'], repo);
    expect(code).toBe(EXIT.ok);
    const report = JSON.parse(out) as { origin: string; warnings: string[]; files: JsonFile[] };
    expect(report.origin).toMatch(/serial 1, NOT VERIFIED/);
    expect(report.warnings.join('\n')).toMatch(/local .aiconfig is not applied/);
    // The bundle's .aiconfig excludes no *.sql: the file is visible (and its token redacted).
    expect(report.files.find((f) => f.path === 'db/schema.sql')).toMatchObject({ status: 'visible', redactions: [{ rules: ['gitlab-pat'] }] });
    expect((await dryRun(['scan', '--bundle', bundle], repo)).code).toBe(EXIT.usage);
  });
});
