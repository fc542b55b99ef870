import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AICONFIG, commitAll, dryRun, gitRepo, leaks, ORG_POLICY, SECRETS, writeFiles } from './dry-run-fixture.ts';
import { scanFixture } from './scan-fixture.ts';

/**
 * The one property every report must have: planted secrets (and any 10-character stretch of them)
 * never appear, in any format, on stdout, stderr or in report files, whatever the report says
 * about them.
 */
describe('no secret ever appears in dry-run output', () => {
  it('scan: text, json, markdown, codequality, junit and the report files', async () => {
    const { repo, org } = scanFixture();
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'markdown', 'codequality', 'junit']) {
      const result = await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--format', format], repo);
      expect(result.out).toMatch(/glpat-\*\*\*\*/);
      outputs.push(result.out, result.err);
    }
    const files = ['out.txt', 'cq.json', 'junit.xml'].map((f) => join(repo, '..', f));
    const result = await dryRun(['scan', '--org-policy', org, '--repo', 'team/app', '--jobs', '2', '--output', files[0] as string, '--codequality', files[1] as string, '--junit', files[2] as string], repo);
    outputs.push(result.out, result.err, ...files.map((f) => readFileSync(f, 'utf8')));
    expect(outputs.map(leaks).flat()).toEqual([]);
  });

  it('diff: text, json and markdown, with secrets no longer redacted and newly redacted', async () => {
    const repo = gitRepo({
      '.aiconfig': AICONFIG,
      'src/.env.example': `WEBHOOK_URL = ${SECRETS.webhook}\nCALLBACK = ${SECRETS.webhook}\nGITLAB_TOKEN=${SECRETS.gitlab}\nSLACK=${SECRETS.slack}\n`,
      'db/dump.sql': `-- ${SECRETS.github}\n`,
    });
    const org = join(repo, '..', 'ai-policy.yml');
    writeFileSync(org, ORG_POLICY);
    writeFiles(repo, { '.aiconfig': AICONFIG.replace("- id: webhook-url\n      pattern: '(WEBHOOK_URL", "- id: callback\n      pattern: '(CALLBACK").replace('[REDACTED:webhook-url]', '[REDACTED:callback]').replace('    - "*.sql"\n', '') });
    commitAll(repo, 'swap rules');
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'markdown']) {
      const result = await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', org, '--repo', 'team/app', '--format', format], repo);
      outputs.push(result.out, result.err);
    }
    const json = JSON.parse(outputs[2] as string) as { secrets: { noLongerRedacted: { finding: { preview: string; rules: string[] } }[]; newlyRedacted: { finding: { preview: string; rules: string[] } }[] } };
    expect(json.secrets.noLongerRedacted.map((s) => [s.finding.rules, s.finding.preview])).toEqual([[['webhook-url'], 'https:****']]);
    expect(json.secrets.newlyRedacted.map((s) => [s.finding.rules, s.finding.preview])).toEqual([[['callback'], 'https:****']]);
    expect(outputs.map(leaks).flat()).toEqual([]);
  });

  it('check: text and json', async () => {
    const { repo, org } = scanFixture();
    const outputs: string[] = [];
    for (const format of ['text', 'json']) {
      const result = await dryRun(['check', '--org-policy', org, '--aiconfig', '.aiconfig', '--repo', 'team/app', '--provider', 'anthropic', '--file', 'src/config.ts', '--format', format], repo);
      outputs.push(result.out, result.err);
    }
    expect(outputs.map(leaks).flat()).toEqual([]);
  });
});
