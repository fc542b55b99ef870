import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { dryRun, gitRepo, leaks, ORG_POLICY, SECRETS, writeFiles } from './dry-run-fixture.ts';

interface JsonFile {
  path: string;
  status: string;
  skip?: string;
  symlink?: string;
  invalidUtf8?: boolean;
  redactions?: { rules: string[]; line: number; column: number; preview: string }[];
}

const FORMATS = ['text', 'json', 'markdown', 'codequality', 'junit'] as const;
const OPT_IN = 'ai_access:\n  enabled: true\n';

/** A directory with the org policy, `tree/` (what is scanned) and `outside/` holding secrets next to it. */
function layout(): { base: string; tree: string; outside: string } {
  const base = tempDir({ 'ai-policy.yml': ORG_POLICY });
  const tree = join(base, 'tree');
  const outside = join(base, 'outside');
  writeFiles(outside, { 'secret.txt': `TOKEN=${SECRETS.gitlab}\n`, 'sub/deep.txt': `GITHUB_TOKEN=${SECRETS.github}\n`, 'aiconfig': OPT_IN });
  mkdirSync(tree);
  return { base, tree, outside };
}

async function scanJson(dir: string, cwd: string, org = 'ai-policy.yml') {
  const result = await dryRun(['scan', dir, '--org-policy', org, '--repo', 'team/app', '--format', 'json'], cwd);
  expect(result.err).toBe('');
  const report = JSON.parse(result.out) as { mode: string; files: JsonFile[]; denial?: { reason: string } };
  return { report, byPath: new Map(report.files.map((f) => [f.path, f])) };
}

/** Every format of the same scan, stdout and stderr, for the leak check. */
async function allOutputs(dir: string, cwd: string, org = 'ai-policy.yml'): Promise<string[]> {
  const outputs: string[] = [];
  for (const format of FORMATS) {
    const r = await dryRun(['scan', dir, '--org-policy', org, '--repo', 'team/app', '--format', format], cwd);
    outputs.push(r.out, r.err);
  }
  return outputs;
}

describe('dry-run scan: links, special files and encodings', () => {
  it('walks a plain directory without following links out of it, through chains, into loops, or opening FIFOs', async () => {
    const { base, tree, outside } = layout();
    writeFiles(tree, { '.aiconfig': OPT_IN, 'inside.ts': `export const key = "${SECRETS.aws}";\n` });
    symlinkSync('../outside/secret.txt', join(tree, 'out-relative'));
    symlinkSync(join(outside, 'secret.txt'), join(tree, 'out-absolute'));
    symlinkSync('../outside', join(tree, 'out-dir'));
    // A chain that starts inside the tree and ends outside it.
    symlinkSync('hop', join(tree, 'chain'));
    symlinkSync('../outside/sub/deep.txt', join(tree, 'hop'));
    symlinkSync('loop', join(tree, 'loop'));
    symlinkSync('inside.ts', join(tree, 'in-link.ts'));
    execFileSync('mkfifo', [join(tree, 'pipe')]);

    const { report, byPath } = await scanJson('tree', base);
    expect(report.mode).toBe('walk');
    expect(report.files.map((f) => f.path)).toEqual(['.aiconfig', 'chain', 'hop', 'in-link.ts', 'inside.ts', 'loop', 'out-absolute', 'out-dir', 'out-relative', 'pipe']);
    for (const path of ['chain', 'hop', 'out-absolute', 'out-dir', 'out-relative']) expect(byPath.get(path)).toEqual({ path, status: 'skipped', skip: 'symlink_outside' });
    expect(byPath.get('loop')).toEqual({ path: 'loop', status: 'skipped', skip: 'symlink_dangling' });
    expect(byPath.get('pipe')).toEqual({ path: 'pipe', status: 'skipped', skip: 'not_regular' });
    expect(byPath.get('in-link.ts')).toMatchObject({ status: 'visible', symlink: 'inside.ts', redactions: [{ rules: ['aws-access-key-id'] }] });
    // Only the planted AWS key is reported; the GitLab and GitHub tokens outside were never read.
    const outputs = await allOutputs('tree', base);
    expect(outputs.join('\n')).not.toMatch(/gitlab-pat|github-pat|glpat-|ghp_/);
    expect(outputs.map(leaks).flat()).toEqual([]);
  });

  it('never reads tracked files through a directory that became a link out of the tree', async () => {
    const repo = gitRepo({ '.aiconfig': OPT_IN, 'docs/readme.md': 'hello\n', 'src/a.ts': 'export {};\n' });
    writeFiles(join(repo, '..'), { 'ai-policy.yml': ORG_POLICY, 'elsewhere/readme.md': `TOKEN=${SECRETS.gitlab}\n` });
    rmSync(join(repo, 'docs'), { recursive: true });
    symlinkSync('../elsewhere', join(repo, 'docs'));
    const { report, byPath } = await scanJson('.', repo, '../ai-policy.yml');
    expect(report.mode).toBe('git');
    expect(byPath.get('docs/readme.md')).toEqual({ path: 'docs/readme.md', status: 'skipped', skip: 'outside_tree' });
    const outputs = await allOutputs('.', repo, '../ai-policy.yml');
    expect(outputs.join('\n')).not.toContain('gitlab-pat');
    expect(outputs.map(leaks).flat()).toEqual([]);
  });

  it('skips UTF-16 as binary (the proxy refuses it too) and locates secrets in non-UTF-8, astral and CRLF text', async () => {
    const { base, tree } = layout();
    writeFiles(tree, {
      '.aiconfig': OPT_IN,
      'latin1.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(` token=${SECRETS.gitlab}\n`)]),
      'emoji.txt': `emoji \u{1F600} token=${SECRETS.gitlab}\n`,
      'crlf.txt': `first\r\nGITHUB_TOKEN=${SECRETS.github}\r\n`,
      'utf16.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`token=${SECRETS.gitlab}\n`, 'utf16le')]),
    });
    const { byPath } = await scanJson('tree', base);
    expect(byPath.get('utf16.txt')).toMatchObject({ status: 'skipped', skip: 'binary' });
    expect(byPath.get('latin1.txt')).toMatchObject({ status: 'visible', invalidUtf8: true, redactions: [{ rules: ['gitlab-pat'], line: 1, column: 12, preview: 'glpat-****' }] });
    // Columns count UTF-16 code units (the emoji is two), as most editors do.
    expect(byPath.get('emoji.txt')?.redactions).toEqual([{ rules: ['gitlab-pat'], line: 1, column: 16, preview: 'glpat-****' }]);
    expect(byPath.get('emoji.txt')?.invalidUtf8).toBeUndefined();
    expect(byPath.get('crlf.txt')?.redactions).toEqual([{ rules: ['github-pat'], line: 2, column: 14, preview: 'ghp_****' }]);
    expect((await allOutputs('tree', base)).map(leaks).flat()).toEqual([]);
  });

  it('refuses a root .aiconfig that links out of the tree, and scans nothing in a checkout without one', async () => {
    const { base, tree } = layout();
    writeFiles(tree, { 'db/schema.sql': `-- ${SECRETS.gitlab}\n` });
    symlinkSync('../outside/aiconfig', join(tree, '.aiconfig'));
    const linked = await dryRun(['scan', 'tree', '--org-policy', 'ai-policy.yml', '--repo', 'team/app'], base);
    expect(linked.code).toBe(EXIT.usage);
    expect(linked.err).toContain('.aiconfig is a symbolic link leading outside the repository; it is not read');
    expect(linked.out).toBe('');

    rmSync(join(tree, '.aiconfig'));
    const { report } = await scanJson('tree', base);
    expect(report.denial?.reason).toBe('repo_not_configured');
    expect(report.files).toEqual([]);
    const text = await dryRun(['scan', 'tree', '--org-policy', 'ai-policy.yml', '--repo', 'team/app', '--fail-on', 'excluded'], base);
    expect(text.out).toMatch(/DENIED \(repo_not_configured\)/);
    expect(text.out).toContain('nothing was scanned');
    expect(text.code).toBe(EXIT.failed);
    expect((await allOutputs('tree', base)).map(leaks).flat()).toEqual([]);
    writeFileSync(join(tree, '.aiconfig'), OPT_IN);
    expect((await scanJson('tree', base)).report.denial).toBeUndefined();
  });
});
