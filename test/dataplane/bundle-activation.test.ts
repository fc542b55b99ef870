import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '../../policy/keys.ts';
import { compileFixture } from '../helpers/policy-fixtures.ts';
import { startStack, type Stack } from '../helpers/dataplane-stack.ts';
import { AICONFIGS, GITLAB_FIXTURES, ORG_POLICY, TOKENS } from './fixtures.ts';

const health = async (stack: Stack) => {
  const r = await stack.request('/health');
  return { status: r.status, body: JSON.parse(r.text) as { status: string; gitlab: string; audit: string; bundle: Record<string, any> } };
};

/** Waits until the watched bundle file has been picked up (the source polls every 100 ms). */
const settle = async (stack: Stack, predicate: () => boolean) => {
  for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 30));
  return stack;
};

const projects = GITLAB_FIXTURES.projects.map((p) => ({ id: p.id, path: p.path, ...(AICONFIGS[p.path] !== undefined ? { aiconfig: AICONFIGS[p.path] } : {}) }));
const payload = (serial: number, ttlMs = 3_600_000, org = ORG_POLICY) => compileFixture(org, projects, { serial, ttlMs });

describe('bundle activation', () => {
  it('reports a healthy signed bundle on /health', async () => {
    const stack = await startStack();
    const { status, body } = await health(stack);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'healthy', gitlab: 'connected', audit: 'enabled', bundle: { active: true, trust: 'signed', signer: stack.signing.keyid, last_error: null } });
    expect(body.bundle['expires_in_seconds']).toBeGreaterThan(3000);
  });

  it('labels a locally compiled policy as unsigned', async () => {
    const stack = await startStack({ mode: 'local' });
    expect((await health(stack)).body.bundle).toMatchObject({ active: true, trust: 'local (unsigned)', signer: null });
  });

  it('hot-loads a newer bundle and enforces it', async () => {
    const stack = await startStack();
    const before = stack.dataplane.store.status().serial!;
    expect((await stack.request('/api/context?repo=team/app&file=src/main.ts', { token: TOKENS.alice })).status).toBe(200);
    stack.writeBundle(payload(before + 10, 3_600_000, ORG_POLICY.replace('exclude: [".env", "*.key"]', 'exclude: [".env", "*.key", "src/"]')));
    await settle(stack, () => stack.dataplane.store.status().serial === before + 10);
    const r = await stack.request('/api/context?repo=team/app&file=src/main.ts', { token: TOKENS.alice });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('file_excluded');
  });

  type Write = (stack: Stack, serial: number) => void;
  it.each<[string, Write, string]>([
    ['tampered', (stack: Stack, serial: number) => {
      const envelope = JSON.parse(stack.writeBundle(payload(serial)));
      const body = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
      body.org.blocked_repos = [];
      envelope.payload = Buffer.from(JSON.stringify(body)).toString('base64');
      writeFileSync(join(stack.dir, 'bundle.json'), JSON.stringify(envelope));
    }, 'bundle_signature'],
    ['unsigned', (stack: Stack, serial: number) => {
      const envelope = JSON.parse(stack.writeBundle(payload(serial)));
      envelope.signatures = [];
      writeFileSync(join(stack.dir, 'bundle.json'), JSON.stringify(envelope));
    }, 'bundle_signature'],
    ['signed by an untrusted key', (stack: Stack, serial: number) => void stack.writeBundle(payload(serial), generateSigningKeyPair()), 'bundle_signature'],
    ['expired', (stack: Stack, serial: number) => void stack.writeBundle(payload(serial, 1)), 'bundle_expired'],
    ['rolled back', (stack: Stack, serial: number) => void stack.writeBundle(payload(serial - 5)), 'bundle_rollback'],
  ])('refuses a %s bundle, keeps the last good one and says why on /health', async (_name, write, code) => {
    const stack = await startStack();
    const good = stack.dataplane.store.status().serial!;
    write(stack, good + 1);
    await settle(stack, () => stack.dataplane.store.status().lastError !== null);
    const { body } = await health(stack);
    expect(body.bundle['serial']).toBe(good);
    expect(body.bundle['last_error']).toMatchObject({ code });
    expect(body.status).toBe('healthy');
    expect((await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice })).status).toBe(200);
  });

  it('refuses a rolled-back bundle after a restart too (the high-water mark is persisted)', async () => {
    const stack = await startStack();
    const serial = stack.dataplane.store.status().serial!;
    stack.writeBundle(payload(serial + 100));
    await settle(stack, () => stack.dataplane.store.status().serial === serial + 100);
    // An attacker puts the older (validly signed) bundle back while the proxy is down.
    stack.writeBundle(payload(serial + 1));
    const restarted = await stack.restart();
    expect(restarted.dataplane.store.status()).toMatchObject({ active: false, lastError: { code: 'bundle_rollback' } });
    const r = await restarted.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('bundle_missing');
    expect((await health(restarted)).status).toBe(503);
  });

  it('reloads the same bundle after a restart', async () => {
    const stack = await startStack();
    const serial = stack.dataplane.store.status().serial;
    const restarted = await stack.restart();
    expect(restarted.dataplane.store.status()).toMatchObject({ active: true, serial });
  });

  it('denies everything and reports unhealthy when the bundle expires while loaded', async () => {
    const stack = await startStack({ bundleTtlMs: 1500 });
    expect((await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    const r = await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('bundle_expired');
    expect(await health(stack)).toMatchObject({ status: 503, body: { status: 'unhealthy' } });
  });

  it('starts without a bundle: denies every request and reports unhealthy', async () => {
    const stack = await startStack({ configure: (c) => ({ ...c, bundle: { ...c.bundle, file: '/nonexistent/aigate/bundle.json' } as typeof c.bundle }) });
    expect(await health(stack)).toMatchObject({ status: 503, body: { status: 'unhealthy', bundle: { active: false, last_error: { code: 'bundle_unreadable' } } } });
    const r = await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('bundle_missing');
  });
});
