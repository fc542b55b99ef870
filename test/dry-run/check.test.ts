import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { compileFixture } from '../helpers/policy-fixtures.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writeSignedBundle, writeUnsignedBundle } from './bundle-file.ts';
import { AICONFIG, dryRun, ORG_POLICY } from './dry-run-fixture.ts';

function files(aiconfig = AICONFIG) {
  return tempDir({ 'ai-policy.yml': ORG_POLICY, '.aiconfig': aiconfig });
}

const compiled = ['--org-policy', 'ai-policy.yml', '--aiconfig', '.aiconfig', '--repo', 'team/app'];

describe('dry-run check', () => {
  it('allows with exit 0 and shows what applies', async () => {
    const { code, out } = await dryRun(['check', ...compiled, '--provider', 'anthropic', '--file', 'src/app.ts', '--size', '1kb'], files());
    expect(code).toBe(EXIT.ok);
    expect(out).toMatch(/^ALLOW  team\/app → anthropic, file src\/app.ts, size 1000 B$/m);
    expect(out).toMatch(/max size   3\.91 KiB \(\.aiconfig line 11\)/);
  });

  it('denies an excluded file with exit 1, the reason and the rule with its file and line', async () => {
    const { code, out } = await dryRun(['check', ...compiled, '--provider', 'anthropic', '--file', './db//schema.sql'], files());
    expect(code).toBe(EXIT.failed);
    expect(out).toContain('reason     file_excluded');
    expect(out).toContain('message    aigate: db/schema.sql is excluded from AI by "*.sql" (.aiconfig line 5)');
    expect(out).toContain('rule       glob "*.sql" (.aiconfig line 5)');
  });

  it('cites the level that removed a provider, the size limit, a blocked namespace', async () => {
    const dir = files();
    const provider = await dryRun(['check', ...compiled, '--provider', 'openai', '--format', 'json'], dir);
    expect(provider.code).toBe(EXIT.failed);
    expect(JSON.parse(provider.out)).toMatchObject({ decision: 'deny', reason: 'provider_not_allowed', rule: { kind: 'provider', value: 'openai', source: { level: 'repo', file: '.aiconfig', line: 3 }, source_text: '.aiconfig line 3' } });
    const size = JSON.parse((await dryRun(['check', ...compiled, '--provider', 'github', '--file', 'a.ts', '--size', '5000', '--format', 'json'], dir)).out);
    expect(size).toMatchObject({ reason: 'file_too_large', rule: { kind: 'setting', value: 'max_file_size: 4000', source_text: '.aiconfig line 11' } });
    const blocked = await dryRun(['check', '--org-policy', 'ai-policy.yml', '--aiconfig', '.aiconfig', '--repo', 'team/secrets-db', '--provider', 'anthropic'], dir);
    expect(blocked.out).toContain('rule       glob "*/secrets-*" (ai-policy.yml line 6)');
    const traversal = await dryRun(['check', ...compiled, '--provider', 'anthropic', '--file', '%2e%2e/etc/passwd'], dir);
    expect(traversal.out).toContain('reason     path_invalid');
  });

  it('denies a project without .aiconfig, and one with an invalid .aiconfig citing the first error', async () => {
    const dir = files('ai_access:\n  enabled: yes\n');
    const none = await dryRun(['check', '--org-policy', 'ai-policy.yml', '--repo', 'team/app', '--provider', 'anthropic'], dir);
    expect(none.out).toContain('reason     repo_not_configured');
    const invalid = await dryRun(['check', ...compiled, '--provider', 'anthropic'], dir);
    expect(invalid.code).toBe(EXIT.failed);
    expect(invalid.out).toMatch(/reason {5}repo_config_invalid/);
    expect(invalid.out).toMatch(/first: \.aiconfig:2:12 schema_type/);
    expect(invalid.out).toMatch(/error {6}\.aiconfig:2:12 schema_type/);
  });

  it('reads a bundle, verified with --trusted-key or marked as not verified', async () => {
    const dir = files();
    const payload = compileFixture(ORG_POLICY, [{ id: 42, path: 'team/app', aiconfig: AICONFIG }]);
    const { bundle, publicKey } = writeSignedBundle(dir, payload);
    const verified = await dryRun(['check', '--bundle', bundle, '--trusted-key', publicKey, '--repo', 'Team/App', '--provider', 'anthropic', '--file', 'x.sql'], dir);
    expect(verified.code).toBe(EXIT.failed);
    expect(verified.out).toMatch(/policy {5}.*signed-bundle\.json, serial 1, verified by ed25519:/);
    expect(verified.out).toContain('rule       glob "*.sql" (.aiconfig line 5)');
    const unsigned = writeUnsignedBundle(dir, payload);
    const plain = await dryRun(['check', '--bundle', unsigned, '--repo', 'team/app', '--provider', 'anthropic'], dir);
    expect(plain.code).toBe(EXIT.ok);
    expect(plain.out).toMatch(/NOT VERIFIED/);
    const other = writeSignedBundle(join(dir), payload).publicKey;
    expect((await dryRun(['check', '--bundle', unsigned, '--trusted-key', other, '--repo', 'team/app', '--provider', 'anthropic'], dir)).code).toBe(EXIT.failed);
  });

  it('exits 2 on usage errors', async () => {
    const dir = files();
    expect((await dryRun(['check', '--org-policy', 'ai-policy.yml', '--provider', 'anthropic'], dir)).code).toBe(EXIT.usage);
    expect((await dryRun(['check', ...compiled, '--provider', 'chatgpt'], dir)).code).toBe(EXIT.usage);
    expect((await dryRun(['check', ...compiled, '--bundle', 'b.json', '--provider', 'anthropic'], dir)).code).toBe(EXIT.usage);
    expect((await dryRun(['check', ...compiled, '--provider', 'anthropic', '--size', 'big'], dir)).code).toBe(EXIT.usage);
    expect((await dryRun(['frobnicate'], dir)).code).toBe(EXIT.usage);
    expect((await dryRun([], dir)).code).toBe(EXIT.usage);
  });
});
