import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';

const GOOD = 'ai_access:\n  enabled: true\n  allowed_providers: [anthropic, github]\n';
const BAD = 'ai_access:\n  enabled: true\n  allowed_providers: [antropic]\n';
const ORG = 'providers:\n  anthropic: {enabled: true}\nmax_file_size: 100kb\n';

async function validate(files: Record<string, string>, args: string[]) {
  const cwd = tempDir(files);
  const io = bufferIo({ cwd });
  const code = await runCli(['validate', ...args], io);
  return { code, out: io.out(), err: io.err(), cwd };
}

describe('aigate validate', () => {
  it('exits 0 and says so for valid files', async () => {
    const r = await validate({ '.aiconfig': GOOD }, []);
    expect(r.code).toBe(0);
    expect(r.out).toBe('✔ 1 file valid\n');
  });

  it('prints file:line:col, the source line with a caret, and the hint, then exits 1', async () => {
    const r = await validate({ '.aiconfig': BAD }, ['.aiconfig']);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        '.aiconfig:3:23 error unknown_provider unknown provider "antropic"',
        '    3 |   allowed_providers: [antropic]',
        '      |                       ^^^^^^^^',
        '  hint: did you mean "anthropic"?',
        '✖ 1 error, 0 warnings in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('emits the same diagnostics as JSON', async () => {
    const r = await validate({ 'repo.aiconfig': BAD }, ['repo.aiconfig', '--format', 'json']);
    const report = JSON.parse(r.out);
    expect(report.valid).toBe(false);
    expect(report.summary).toEqual({ errors: 1, warnings: 0 });
    expect(report.diagnostics[0]).toMatchObject({ code: 'unknown_provider', severity: 'error', file: 'repo.aiconfig', pointer: '/ai_access/allowed_providers/0', line: 3, column: 23 });
  });

  it('writes a GitLab Code Quality report with repository-relative paths', async () => {
    const r = await validate({ 'svc/.aiconfig': BAD }, ['svc', '--format', 'codequality']);
    const issues = JSON.parse(r.out);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ check_name: 'aigate/unknown_provider', severity: 'major', location: { path: 'svc/.aiconfig', positions: { begin: { line: 3, column: 23 } } } });
    expect(issues[0].fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(issues[0].description).toContain('did you mean "anthropic"?');
  });

  it('writes --output and --codequality files for CI', async () => {
    const r = await validate({ '.aiconfig': BAD }, ['--output', 'report.txt', '--codequality', 'gl-code-quality-report.json']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(readFileSync(join(r.cwd, 'report.txt'), 'utf8')).toMatch(/unknown_provider/);
    expect(JSON.parse(readFileSync(join(r.cwd, 'gl-code-quality-report.json'), 'utf8'))).toHaveLength(1);
  });

  it('cross-checks providers against --org-policy as warnings, which --strict turns into failure', async () => {
    const files = { '.aiconfig': GOOD, 'ai-policy.yml': ORG };
    const lenient = await validate(files, ['.aiconfig', '--org-policy', 'ai-policy.yml']);
    expect(lenient.code).toBe(0);
    expect(lenient.out).toMatch(/warning provider_not_enabled_by_org provider "github" is not enabled/);
    const strict = await validate(files, ['.aiconfig', '--org-policy', 'ai-policy.yml', '--strict']);
    expect(strict.code).toBe(1);
  });

  it('searches directories for policy files by name', async () => {
    const r = await validate({ 'a/.aiconfig': GOOD, 'b/api.aiconfig': GOOD, 'policy/ai-policy.yml': ORG, 'notes.yml': 'x: [' }, ['.', '--format', 'json']);
    expect(JSON.parse(r.out).files.map((f: { file: string }) => f.file)).toEqual(['a/.aiconfig', 'b/api.aiconfig', 'policy/ai-policy.yml']);
  });

  it('needs --kind for a file whose name does not say what it is', async () => {
    const without = await validate({ 'policy.yaml': GOOD }, ['policy.yaml']);
    expect(without.code).toBe(2);
    expect(without.err).toMatch(/pass --kind/);
    const withKind = await validate({ 'policy.yaml': GOOD }, ['policy.yaml', '--kind', 'aiconfig']);
    expect(withKind.code).toBe(0);
  });

  it('treats a missing path and a bad option as usage errors (exit 2)', async () => {
    expect((await validate({}, ['nope.aiconfig'])).code).toBe(2);
    expect((await validate({ '.aiconfig': GOOD }, ['--format', 'xml'])).code).toBe(2);
    expect((await validate({ '.aiconfig': GOOD }, ['--frobnicate'])).code).toBe(2);
  });

  it('exits with the same codes from the real executable', () => {
    const cwd = tempDir({ 'good.aiconfig': GOOD, 'bad.aiconfig': BAD });
    const run = (...args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/aigate.ts'), 'validate', ...args], { cwd, encoding: 'utf8' });
    expect(run('good.aiconfig').status).toBe(0);
    const bad = run('bad.aiconfig');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/bad.aiconfig:3:23 error unknown_provider/);
    expect(run('missing.aiconfig').status).toBe(2);
  });
});
