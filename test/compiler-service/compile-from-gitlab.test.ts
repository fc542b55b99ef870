import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { compileCommand } from '../../compiler/commands/compile.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { generateSigningKeyPair, parsePublicKey } from '../../policy/keys.ts';
import { verifyBundle } from '../../policy/verify-bundle.ts';
import { ORG_POLICY } from '../dataplane/fixtures.ts';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { COMPILER_TOKEN, compilerWorld } from './service-fixture.ts';

const signing = generateSigningKeyPair();
const publicKey = parsePublicKey(signing.publicKeyPem);

async function fake(): Promise<FakeGitLab> {
  const gitlab = await startFakeGitLab({ fixtures: compilerWorld() });
  return gitlab;
}

async function compile(gitlab: FakeGitLab, dir: string, extra: string[] = []) {
  const io = bufferIo({ cwd: dir, env: { AIGATE_GITLAB_TOKEN: COMPILER_TOKEN, AIGATE_SIGNING_KEY: signing.privateKeyPem } });
  const code = await compileCommand(['--org-policy', 'ai-policy.yml', '--from-gitlab', '--gitlab', gitlab.url, '--out', 'bundle.json', ...extra], io);
  return { code, out: io.out(), err: io.err() };
}

function payloadOf(text: string): BundlePayloadV1 {
  if (!publicKey.ok) throw new Error('test key');
  const verified = verifyBundle(text, [{ keyid: publicKey.keyid, key: publicKey.key }]);
  if (!verified.ok) throw new Error(verified.message);
  return verified.payload;
}

describe('aigate compile --from-gitlab', () => {
  it('lists projects with keyset pages, reads .aiconfig 50 projects per GraphQL request, signs, publishes and uploads', async () => {
    const gitlab = await fake();
    try {
      gitlab.state.setArchived('team/disabled', true);
      for (let i = 0; i < 120; i++) gitlab.state.addProject({ id: 1000 + i, path: `bulk/p${i}`, visibility: 'private', files: { '.aiconfig': `ai_access:\n  enabled: true\n  exclude: ["x${i % 3}/"]\n` } });
      const dir = tempDir({ 'ai-policy.yml': ORG_POLICY });
      const run = await compile(gitlab, dir, ['--publish-dir', 'published', '--upload-package', 'security/ai-policy']);
      expect(run.err).toBe('');
      expect(run.code).toBe(0);
      const text = readFileSync(join(dir, 'bundle.json'), 'utf8');
      const payload = payloadOf(text);
      expect(Object.keys(payload.projects)).toHaveLength(130);
      expect(payload.projects['16']).toBeUndefined();
      expect(payload.projects['10']).toMatchObject({ path: 'team/app', state: 'active', config: { file: '.aiconfig', blob: expect.stringMatching(/^[0-9a-f]{40}$/) } });
      expect(payload.projects['12']).toMatchObject({ state: 'blocked' });
      expect(payload.projects['15']).toMatchObject({ state: 'not_configured' });
      expect(payload.projects['17']).toMatchObject({ state: 'invalid' });

      const listing = gitlab.requests.filter((r) => r.path === '/api/v4/projects');
      expect(listing.length).toBe(2);
      expect(listing.every((r) => r.query.pagination === 'keyset' && r.query.archived === 'false')).toBe(true);
      expect(gitlab.requests.filter((r) => r.path === '/api/graphql')).toHaveLength(Math.ceil(130 / 50));
      expect(run.out).toContain('130 projects listed, 128 .aiconfig fetched, 0 reused');

      expect(readFileSync(join(dir, 'published/current.json'), 'utf8')).toBe(text);
      expect(readFileSync(join(dir, `published/versions/${payload.serial}.json`), 'utf8')).toBe(text);
      const pkg = await fetch(`${gitlab.url}/api/v4/projects/${encodeURIComponent('security/ai-policy')}/packages/generic/aigate-bundle/current/bundle.json`, { headers: { 'PRIVATE-TOKEN': COMPILER_TOKEN } });
      expect(await pkg.text()).toBe(text);

      // Second run: blob ids only, nothing downloaded again; one changed project is re-read.
      gitlab.state.commitFiles('bulk/p7', 'main', { '.aiconfig': 'ai_access:\n  enabled: false\n' });
      gitlab.resetRequests();
      const again = await compile(gitlab, dir);
      expect(again.code).toBe(0);
      expect(again.out).toContain('1 .aiconfig fetched, 129 reused');
      expect(gitlab.requests.filter((r) => r.path === '/api/graphql')).toHaveLength(Math.ceil(130 / 50) + 1);
      const next = payloadOf(readFileSync(join(dir, 'bundle.json'), 'utf8'));
      expect(next.serial).toBeGreaterThan(payload.serial);
      expect(next.projects['1007']).toMatchObject({ state: 'disabled' });
    } finally {
      await gitlab.close();
    }
  });

  it('honours 429 Retry-After, scopes to a group, and fails without writing a bundle when GitLab refuses', async () => {
    const gitlab = await fake();
    try {
      const dir = tempDir({ 'ai-policy.yml': ORG_POLICY });
      gitlab.faults.set({ rateLimit: { style: 'rack', retryAfter: 1 }, paths: /^\/api\/graphql$/, times: 1 });
      const run = await compile(gitlab, dir, ['--group', 'team']);
      expect(run.code).toBe(0);
      expect(run.out).toContain('(1 rate-limited)');
      const gql = gitlab.requests.filter((r) => r.path === '/api/graphql');
      expect(gql.map((r) => r.status)).toEqual([429, 200]);
      expect(gql[1]!.at - gql[0]!.at).toBeGreaterThanOrEqual(950);
      const payload = payloadOf(readFileSync(join(dir, 'bundle.json'), 'utf8'));
      expect(Object.values(payload.projects).map((p) => p.path).sort()).toEqual(['team/app', 'team/broken', 'team/disabled', 'team/new-name', 'team/no-config', 'team/secrets-db']);
      expect(gitlab.requests.some((r) => r.path === '/api/v4/groups/team/projects' && r.query.pagination === 'keyset')).toBe(true);

      writeFileSync(join(dir, 'bundle.json'), 'old');
      const denied = bufferIo({ cwd: dir, env: { AIGATE_GITLAB_TOKEN: 'glpat-wrong', AIGATE_SIGNING_KEY: signing.privateKeyPem } });
      expect(await compileCommand(['--org-policy', 'ai-policy.yml', '--from-gitlab', '--gitlab', gitlab.url, '--cache', 'other.json'], denied).catch((e: { exitCode: number; message: string }) => { denied.stderr(e.message); return e.exitCode; })).toBe(1);
      expect(denied.err()).toContain('gitlab_unauthorized');
      expect(denied.err()).not.toContain('glpat-wrong');
      expect(readFileSync(join(dir, 'bundle.json'), 'utf8')).toBe('old');
    } finally {
      await gitlab.close();
    }
  });
});
