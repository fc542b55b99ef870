import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { ORG_YAML, SEED_AICONFIG } from '../../test/helpers/policy-fixtures.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';

const MANIFEST = `projects:
  - { id: 101, path: team/app, aiconfig: repos/app/.aiconfig }
  - { id: 102, path: team/docs, aiconfig: none }
  - { id: 103, path: team/secrets-db, aiconfig: repos/app/.aiconfig }
  - { id: 104, path: team/broken, aiconfig: repos/broken/.aiconfig }
`;

async function cli(cwd: string, ...args: string[]) {
  const io = bufferIo({ cwd, env: {} });
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

function workspace() {
  return tempDir({
    'ai-policy.yml': ORG_YAML,
    'projects.yml': MANIFEST,
    'repos/app/.aiconfig': SEED_AICONFIG,
    'repos/broken/.aiconfig': 'ai_access:\n  enabled: true\n  exclude: ["!x"]\n',
  });
}

describe('keygen, compile, verify, inspect', () => {
  it('signs a bundle that verifies with the public key and shows each project', async () => {
    const dir = workspace();
    const keygen = await cli(dir, 'keygen', '--out', 'k');
    expect(keygen.code).toBe(0);
    expect(keygen.out).toMatch(/^keyid ed25519:[0-9a-f]{32}/);
    expect(statSync(join(dir, 'k.key')).mode & 0o777).toBe(0o600);

    const compiled = await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml', '--key', 'k.key', '--out', 'bundle.json', '--state', 'state.json');
    expect(compiled.code, compiled.err).toBe(0);
    expect(compiled.out).toMatch(/4 projects \(1 active, 1 not_configured, 1 blocked, 1 invalid\)/);
    expect(compiled.out).toMatch(/warning: invalid \.aiconfig \(denied until fixed\) team\/broken/);

    const verified = await cli(dir, 'verify', 'bundle.json', '--trusted-key', 'k.pub');
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toMatch(/valid bundle bundle.json/);
    expect(verified.out).toMatch(/projects   4/);

    const inspected = await cli(dir, 'inspect', 'bundle.json', '--repo', 'Team/App', '--trusted-key', 'k.pub');
    expect(inspected.code, inspected.err).toBe(0);
    expect(inspected.out).toMatch(/state +active/);
    expect(inspected.out).toMatch(/providers +anthropic, github \(narrowed by \.aiconfig line 3\)/);
    expect(inspected.out).toMatch(/\*\.sql +\.aiconfig line 8/);
    expect(inspected.out).toMatch(/password-assignment +ai-policy\.yml line \d+/);
  });

  it('refuses a bundle signed by another key, a tampered one, and one below --min-serial', async () => {
    const dir = workspace();
    await cli(dir, 'keygen', '--out', 'k');
    await cli(dir, 'keygen', '--out', 'other');
    await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml', '--key', 'k.key', '--out', 'bundle.json', '--state', 'state.json');
    const wrongKey = await cli(dir, 'verify', 'bundle.json', '--trusted-key', 'other.pub');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.err).toMatch(/bundle_signature/);

    const envelope = JSON.parse(readFileSync(join(dir, 'bundle.json'), 'utf8'));
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
    payload.org.providers.push('codeium');
    envelope.payload = Buffer.from(JSON.stringify(payload)).toString('base64');
    writeFileSync(join(dir, 'tampered.json'), JSON.stringify(envelope));
    expect((await cli(dir, 'verify', 'tampered.json', '--trusted-key', 'k.pub')).code).toBe(1);

    const serial = JSON.parse((await cli(dir, 'verify', 'bundle.json', '--trusted-key', 'k.pub', '--format', 'json')).out).serial;
    const rollback = await cli(dir, 'verify', 'bundle.json', '--trusted-key', 'k.pub', '--min-serial', String(serial));
    expect(rollback.code).toBe(1);
    expect(rollback.err).toMatch(/bundle_rollback/);
  });

  it('accepts a bundle signed with either of two keys during rotation', async () => {
    const dir = workspace();
    await cli(dir, 'keygen', '--out', 'old');
    await cli(dir, 'keygen', '--out', 'new');
    await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml', '--key', 'new.key', '--out', 'bundle.json', '--state', 'state.json');
    expect((await cli(dir, 'verify', 'bundle.json', '--trusted-key', 'old.pub', '--trusted-key', 'new.pub')).code).toBe(0);
  });

  it('hands out strictly increasing serials from the state file', async () => {
    const dir = workspace();
    await cli(dir, 'keygen', '--out', 'k');
    const serials: number[] = [];
    for (let i = 0; i < 3; i++) {
      await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml', '--key', 'k.key', '--out', 'bundle.json', '--state', 'state.json');
      serials.push(JSON.parse((await cli(dir, 'verify', 'bundle.json', '--trusted-key', 'k.pub', '--format', 'json')).out).serial);
    }
    expect(serials[1]).toBeGreaterThan(serials[0]!);
    expect(serials[2]).toBeGreaterThan(serials[1]!);
  });

  it('refuses an expired bundle', async () => {
    const dir = workspace();
    await cli(dir, 'keygen', '--out', 'k');
    await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml', '--key', 'k.key', '--out', 'bundle.json', '--state', 'state.json', '--expires-in', '1s');
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await cli(dir, 'verify', 'bundle.json', '--trusted-key', 'k.pub');
    expect(expired.code).toBe(1);
    expect(expired.err).toMatch(/bundle_expired/);
  });

  it('stops with the diagnostics when the org policy is invalid, writing no bundle', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'ai-policy.yml'), 'providers:\n  antropic: {enabled: true}\n');
    await cli(dir, 'keygen', '--out', 'k');
    const r = await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml', '--key', 'k.key', '--out', 'bundle.json', '--state', 'state.json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ai-policy.yml:2:3 error unknown_provider/);
    expect(() => statSync(join(dir, 'bundle.json'))).toThrow();
  });

  it('needs a key unless --unsigned, and never prints the key', async () => {
    const dir = workspace();
    const none = await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml');
    expect(none.code).toBe(2);
    writeFileSync(join(dir, 'bad.key'), '-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n');
    const bad = await cli(dir, 'compile', '--org-policy', 'ai-policy.yml', '--projects', 'projects.yml', '--key', 'bad.key');
    expect(bad.code).toBe(2);
    expect(bad.err).not.toMatch(/c2VjcmV0/);
  });
});
