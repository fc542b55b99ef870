import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { leaks, writeFiles, commitAll } from './dry-run-fixture.ts';
import { scanFixture } from './scan-fixture.ts';

const ENTRY = fileURLToPath(new URL('../../bin/aigate.ts', import.meta.url));

function aigate(args: readonly string[], cwd: string) {
  const result = spawnSync(process.execPath, [ENTRY, 'dry-run', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

describe('aigate dry-run as a real process', () => {
  it('scans (with worker threads), checks and diffs with the documented exit codes', () => {
    const { repo, org } = scanFixture();
    const scan = aigate(['scan', '--org-policy', org, '--repo', 'team/app', '--format', 'json', '--jobs', '2', '--fail-on', 'secrets'], repo);
    expect(scan.err).toBe('');
    expect(scan.code).toBe(EXIT.failed);
    const report = JSON.parse(scan.out) as { files: { path: string; redactions?: { preview: string }[] }[] };
    expect(report.files.find((f) => f.path === 'src/config.ts')?.redactions?.[0]?.preview).toBe('glpat-****');
    expect(leaks(scan.out)).toEqual([]);

    const check = aigate(['check', '--org-policy', org, '--aiconfig', '.aiconfig', '--repo', 'team/app', '--provider', 'anthropic', '--file', 'db/schema.sql'], repo);
    expect(check.code).toBe(EXIT.failed);
    expect(check.out).toContain('reason     file_excluded');

    writeFiles(repo, { '.aiconfig': 'ai_access:\n  enabled: true\n' });
    commitAll(repo, 'loosen');
    const diff = aigate(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app', '--format', 'markdown', '--fail-on', 'loosening'], repo);
    expect(diff.code).toBe(EXIT.failed);
    expect(diff.out.split('\n')[0]).toMatch(/^⚠️ loosens: /);
    expect(leaks(diff.out)).toEqual([]);

    expect(aigate(['scan', '--format', 'yaml', '--org-policy', org], repo).code).toBe(EXIT.usage);
  });
});
