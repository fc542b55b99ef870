import { symlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AICONFIG, commitAll, dryRun, gitRepo, leaks, ORG_POLICY, SECRETS, writeFiles } from './dry-run-fixture.ts';

interface Finding {
  path: string;
  finding: { rules: string[]; line: number; column: number; preview: string };
}

interface DiffJson {
  verdict: string;
  aiconfigChange: string;
  loosening: string[];
  head: { state: string; allowed: boolean };
  files: { becomeVisible: { path: string }[]; becomeHidden: { path: string }[] };
  secrets: { compared: boolean; noLongerRedacted: Finding[]; newlyRedacted: Finding[] };
}

/** AICONFIG without its webhook-url rule: the only secret rule the head drops. */
const WITHOUT_WEBHOOK_RULE = AICONFIG.replace(/ {2}redact_patterns:\n(?: {4}.*\n)+/, '');

/** text, json and markdown of the same diff, parsed json, and everything printed for the leak check. */
async function diffAll(repo: string) {
  const outputs: string[] = [];
  let json: DiffJson | undefined;
  for (const format of ['text', 'json', 'markdown']) {
    const r = await dryRun(['diff', '--base', 'HEAD~1', '--org-policy', '../ai-policy.yml', '--repo', 'team/app', '--format', format], repo);
    expect(r.err).toBe('');
    if (format === 'json') json = JSON.parse(r.out) as DiffJson;
    outputs.push(r.out, r.err);
  }
  return { json: json as DiffJson, outputs };
}

describe('dry-run diff: contents that are binary, links or not UTF-8', () => {
  it('compares non-UTF-8 text but never binary blobs or link targets when a redaction rule is removed', async () => {
    const hook = (where: string) => `WEBHOOK_URL = ${SECRETS.webhook.replace('T0NOTREAL', where)}\n`;
    const repo = gitRepo({
      '.aiconfig': AICONFIG,
      'hooks.env': hook('TEXT'),
      'legacy/latin1.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(`\n${hook('LATIN1')}`)]),
      'assets/blob.bin': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.from(hook('BINARY'))]),
    });
    writeFiles(join(repo, '..'), { 'ai-policy.yml': ORG_POLICY, 'outside/hook.txt': hook('OUTSIDE') });
    // Git stores a link as its target's path: that text is what GitLab serves, so that is what is compared.
    symlinkSync('../outside/hook.txt', join(repo, 'link-out'));
    symlinkSync('hooks.env', join(repo, 'link-in'));
    commitAll(repo, 'links');
    writeFiles(repo, { '.aiconfig': WITHOUT_WEBHOOK_RULE });
    commitAll(repo, 'drop the webhook rule');

    const { json, outputs } = await diffAll(repo);
    expect(json.secrets.compared).toBe(true);
    expect(json.secrets.noLongerRedacted).toEqual([
      { path: 'hooks.env', finding: { rules: ['webhook-url'], line: 1, column: 15, preview: 'https:****' } },
      { path: 'legacy/latin1.txt', finding: { rules: ['webhook-url'], line: 2, column: 15, preview: 'https:****' } },
    ]);
    expect(json.secrets.newlyRedacted).toEqual([]);
    expect(json.verdict).toBe('loosens');
    expect(outputs.join('\n')).not.toMatch(/OUTSIDE|BINARY/);
    expect(outputs.map(leaks).flat()).toEqual([]);
  });

  it('reads a committed .aiconfig link as GitLab serves it (the link text), never the file it points to', async () => {
    const repo = gitRepo({ '.aiconfig': AICONFIG, 'db/schema.sql': 'create table t (id int);\n', 'src/app.ts': 'export {};\n' });
    // The target would loosen everything (no exclusions, no size limit): it must not be what the diff applies.
    writeFiles(join(repo, '..'), { 'ai-policy.yml': ORG_POLICY, 'outside/aiconfig': 'ai_access:\n  enabled: true\n' });
    rmSync(join(repo, '.aiconfig'));
    symlinkSync('../outside/aiconfig', join(repo, '.aiconfig'));
    commitAll(repo, 'link the .aiconfig');

    const { json, outputs } = await diffAll(repo);
    expect(json.aiconfigChange).toBe('changed type');
    expect(json.verdict).toBe('invalid');
    expect(json.head).toMatchObject({ allowed: false, state: 'invalid' });
    expect(json.loosening).toEqual([]);
    expect(json.files.becomeVisible).toEqual([]);
    expect(json.files.becomeHidden.map((f) => f.path)).toEqual(['.aiconfig', 'src/app.ts']);
    expect(outputs.map(leaks).flat()).toEqual([]);
  });
});
