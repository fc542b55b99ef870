import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '../../policy/keys.ts';
import { ORG_POLICY, TOKENS } from '../dataplane/fixtures.ts';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { AIGATE, ciRepo, includeTemplate } from './gitlab-ci-local.ts';
import { COMPILER_TOKEN, compilerWorld, POLICY_JOB_TOKEN } from './service-fixture.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const template = (name: string) => readFileSync(join(ROOT, 'ci-templates', name), 'utf8');
const GOOD = 'ai_access:\n  enabled: true\n  allowed_providers: [anthropic]\n';
const WIDER = 'ai_access:\n  enabled: true\n  allowed_providers: [anthropic, openai]\n';
const BROKEN = 'ai_access:\n  enabled: maybe\n  exclude: ["/etc/passwd"]\n';

async function withGitLab(test: (gitlab: FakeGitLab) => Promise<void>): Promise<void> {
  const gitlab = await startFakeGitLab({ fixtures: compilerWorld() });
  try {
    await test(gitlab);
  } finally {
    await gitlab.close();
  }
}

const api = (gitlab: FakeGitLab) => ({ CI_SERVER_URL: gitlab.url, CI_API_V4_URL: `${gitlab.url}/api/v4` });

describe('CI templates, run with gitlab-ci-local against the fake GitLab', () => {
  it('aiconfig.yml: validate fails on a broken .aiconfig and passes on a good one', { timeout: 120_000 }, async () => {
    await withGitLab(async (gitlab) => {
      const ci = includeTemplate('aiconfig.yml', { image: 'aigate:test', aigate: AIGATE, read_token_variable: 'AIGATE_READ_TOKEN' });
      const repo = ciRepo(`${gitlab.url}/team/app.git`, { '.gitlab-ci.yml': ci, 'ci-templates/aiconfig.yml': template('aiconfig.yml'), '.aiconfig': BROKEN, 'app.py': 'print(1)\n' });
      const vars = { ...api(gitlab), AIGATE_READ_TOKEN: TOKENS.admin, CI_PROJECT_PATH: 'team/app' };
      const broken = await repo.run(['aigate-validate'], vars);
      expect(broken.output).toContain('json schema validated');
      expect(broken.code).not.toBe(0);
      expect(broken.output).toMatch(/FAIL\s+aigate-validate/);
      expect(broken.output).toContain('schema_type');
      const report = JSON.parse(readFileSync(join(repo.dir, 'gl-code-quality-aigate-validate.json'), 'utf8')) as { check_name: string; location: { path: string } }[];
      expect(report.some((r) => r.location.path === '.aiconfig')).toBe(true);

      repo.commit({ '.aiconfig': GOOD }, 'fix');
      const good = await repo.run(['aigate-validate'], vars);
      expect(good.code).toBe(0);
      expect(good.output).toMatch(/PASS\s+aigate-validate/);
      // The org policy was fetched from the policy repository through the API.
      expect(gitlab.requests.some((r) => r.path === '/api/v4/projects/security%2Fai-policy/repository/files/ai-policy.yml/raw')).toBe(true);
      expect(good.output).not.toContain(TOKENS.admin);
    });
  });

  it('aiconfig.yml: the merge request dry-run posts one note and edits it on the next pipeline', { timeout: 120_000 }, async () => {
    await withGitLab(async (gitlab) => {
      await gitlab.hooks.push('team/app', 'widen', [{ files: { '.aiconfig': WIDER } }]);
      const { iid } = await gitlab.hooks.openMergeRequest('team/app', { sourceBranch: 'widen' });
      const ci = includeTemplate('aiconfig.yml', { image: 'aigate:test', aigate: AIGATE, read_token_variable: 'AIGATE_READ_TOKEN', note_token_variable: 'AIGATE_NOTE_TOKEN' });
      const repo = ciRepo(`${gitlab.url}/team/app.git`, { '.gitlab-ci.yml': ci, 'ci-templates/aiconfig.yml': template('aiconfig.yml'), '.aiconfig': GOOD, 'src/app.py': 'print(1)\n' });
      const base = repo.commit({ 'README.md': '# app\n' });
      repo.commit({ '.aiconfig': WIDER }, 'allow openai');
      const vars = { ...api(gitlab), AIGATE_READ_TOKEN: TOKENS.admin, AIGATE_NOTE_TOKEN: TOKENS.alice, CI_PROJECT_PATH: 'team/app', CI_PROJECT_ID: '10', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_IID: String(iid), CI_MERGE_REQUEST_DIFF_BASE_SHA: base };
      const first = await repo.run(['aigate-dry-run'], vars);
      expect(first.code).toBe(0);
      expect(first.output).toContain('loosens: provider openai added');
      expect(first.output).toMatch(/posted note \d+/);
      expect(readFileSync(join(repo.dir, 'aigate-scan.junit.xml'), 'utf8')).toContain('<testsuite');
      const second = await repo.run(['aigate-dry-run'], vars);
      expect(second.output).toMatch(/updated note \d+/);
      const notes = (await (await fetch(`${gitlab.url}/api/v4/projects/10/merge_requests/${iid}/notes`, { headers: { 'PRIVATE-TOKEN': COMPILER_TOKEN } })).json()) as { body: string }[];
      expect(notes).toHaveLength(1);
      expect(notes[0]!.body).toContain('openai');
      expect(`${first.output}${second.output}`).not.toContain(TOKENS.alice);
    });
  });

  it('policy-repo.yml: compile signs a bundle aigate verify accepts, publish uploads it, resign runs on schedules only', { timeout: 180_000 }, async () => {
    await withGitLab(async (gitlab) => {
      const key = generateSigningKeyPair();
      const ci = includeTemplate('policy-repo.yml', { image: 'aigate:test', aigate: AIGATE, public_key: 'keys/aigate-signing.pub' });
      const repo = ciRepo(`${gitlab.url}/security/ai-policy.git`, { '.gitlab-ci.yml': ci, 'ci-templates/policy-repo.yml': template('policy-repo.yml'), 'ai-policy.yml': ORG_POLICY, 'keys/aigate-signing.pub': key.publicKeyPem });
      const vars = { ...api(gitlab), AIGATE_SIGNING_KEY: key.privateKeyPem, AIGATE_GITLAB_TOKEN: COMPILER_TOKEN, CI_PROJECT_ID: '1', CI_JOB_TOKEN: POLICY_JOB_TOKEN };
      const listed = await repo.run(['--list'], vars);
      expect(listed.output).toMatch(/aigate-policy-compile\s+deploy\s+on_success/);
      expect(listed.output).not.toMatch(/aigate-policy-resign/);

      const run = await repo.run(['aigate-policy-compile', 'aigate-policy-publish'], vars);
      expect(run.code).toBe(0);
      expect(run.output).toMatch(/PASS\s+aigate-policy-compile/);
      expect(run.output).toMatch(/PASS\s+aigate-policy-publish/);
      const bundle = readFileSync(join(repo.dir, 'bundle.json'), 'utf8');
      const verified = execFileSync(process.execPath, [join(ROOT, 'bin/aigate.ts'), 'verify', 'bundle.json', '--trusted-key', 'keys/aigate-signing.pub', '--format', 'json'], { cwd: repo.dir, encoding: 'utf8' });
      const summary = JSON.parse(verified) as { valid: boolean; serial: number; projects: { total: number } };
      expect(summary).toMatchObject({ valid: true, projects: { total: 11 } });
      for (const version of [String(summary.serial), 'current']) {
        const pkg = await fetch(`${gitlab.url}/api/v4/projects/1/packages/generic/aigate-bundle/${version}/bundle.json`, { headers: { 'PRIVATE-TOKEN': COMPILER_TOKEN } });
        expect(await pkg.text()).toBe(bundle);
      }
      expect(run.output).not.toContain('BEGIN PRIVATE KEY');
      expect(run.output).not.toContain(COMPILER_TOKEN);

      const scheduled = await repo.run(['aigate-policy-resign'], { ...vars, CI_PIPELINE_SOURCE: 'schedule' });
      expect(scheduled.code).toBe(0);
      const resigned = JSON.parse(readFileSync(join(repo.dir, 'bundle-summary.json'), 'utf8')) as { serial: number };
      expect(resigned.serial).toBeGreaterThan(summary.serial);
      const current = await fetch(`${gitlab.url}/api/v4/projects/1/packages/generic/aigate-bundle/current/bundle.json`, { headers: { 'PRIVATE-TOKEN': COMPILER_TOKEN } });
      expect(await current.text()).toBe(readFileSync(join(repo.dir, 'bundle.json'), 'utf8'));
    });
  });

  it('aigate\'s own .gitlab-ci.yml passes GitLab\'s CI schema, and the schema check does catch mistakes', { timeout: 120_000 }, async () => {
    await withGitLab(async (gitlab) => {
      const own = readFileSync(join(ROOT, '.gitlab-ci.yml'), 'utf8');
      const repo = ciRepo(`${gitlab.url}/tools/aigate.git`, { '.gitlab-ci.yml': own });
      const ok = await repo.run(['--list'], {});
      expect(ok.code).toBe(0);
      expect(ok.output).toContain('json schema validated');
      expect(ok.output).toMatch(/typecheck[\s\S]*test[\s\S]*bench-smoke/);
      repo.commit({ '.gitlab-ci.yml': own.replace('  interruptible: true', '  interruptable: true') });
      const bad = await repo.run(['--list'], {});
      expect(bad.code).not.toBe(0);
      expect(bad.output).toMatch(/interruptable|additionalProperties/);

      // The templates' spec: a required input left out is refused before anything runs.
      const missing = ciRepo(`${gitlab.url}/team/app.git`, { '.gitlab-ci.yml': includeTemplate('aiconfig.yml', { aigate: AIGATE }), 'ci-templates/aiconfig.yml': template('aiconfig.yml') });
      const refused = await missing.run(['--list'], {});
      expect(refused.output).toContain('`image` input: required value has not been provided');
    });
  });
});
