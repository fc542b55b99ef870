import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('the README main job (npm run demo)', () => {
  it('enforces the example policies end to end and prints what each request became', () => {
    const run = spawnSync(process.execPath, ['scripts/demo.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('[REDACTED:gitlab-pat]');
    expect(run.stdout).not.toContain('glpat-AbCdEfGhIjKlMnOpQrSt');
    expect(run.stdout).not.toContain('sk_live_demo');
    expect(run.stdout).toMatch(/403 repo_blocked: .*secrets-vault/);
    expect(run.stdout).toMatch(/403 provider_not_allowed: .*payments\/api/);
    expect(run.stdout).toMatch(/403 repo_access_denied: .*ops\/infra/);
    expect(run.stdout).toContain('5 records, hash chain intact');
  }, 90_000);
});
