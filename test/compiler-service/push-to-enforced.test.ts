import { describe, expect, it } from 'vitest';
import { parsePublicKey } from '../../policy/keys.ts';
import { TOKENS } from '../dataplane/fixtures.ts';
import { startStack, type Stack } from '../helpers/dataplane-stack.ts';
import { COMPILER_TOKEN, startServiceFixture, WEBHOOK_TOKEN } from './service-fixture.ts';

const EXCLUDE_SRC = `ai_access:
  enabled: true
  allowed_providers: [anthropic, github]
  exclude: ["migrations/", "*.sql", "docs/architecture/security-design.md", "src/"]
`;

async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 10));
  }
}

const context = (stack: Stack, file: string) => stack.request(`/api/context?repo=team/app&file=${file}`, { token: TOKENS.alice });

describe('push → webhook → compile → publish → enforced', () => {
  it('a .aiconfig commit in GitLab is enforced by a running proxy that long-polls the compiler service', async () => {
    const fixture = await startServiceFixture();
    const { gitlab, service, signing } = fixture;
    const publicKey = parsePublicKey(signing.publicKeyPem);
    if (!publicKey.ok) throw new Error('test key');
    // A poll interval of a minute: only long polling can make the proxy see the new bundle in time.
    const stack = await startStack(
      { configure: (c) => ({ ...c, bundle: { kind: 'url', url: `${service.url}/bundles/current`, pollMs: 60_000, trustedKeys: [{ keyid: publicKey.keyid, key: publicKey.key }], authToken: undefined } }) },
      { gitlab, signing },
    );
    const first = fixture.payload().serial;
    expect(stack.dataplane.store.status()).toMatchObject({ active: true, serial: first, trust: 'signed' });
    expect((await context(stack, 'src/main.ts')).status).toBe(200);

    gitlab.hooks.addProjectHook('team/app', { url: `${service.url}/hooks/gitlab`, token: WEBHOOK_TOKEN });
    const started = performance.now();
    const push = await gitlab.hooks.push('team/app', 'main', [{ files: { '.aiconfig': EXCLUDE_SRC }, message: 'exclude src/' }]);
    expect(push.deliveries[0]?.status).toBe(202);
    const denied = await until(() => context(stack, 'src/main.ts'), (r) => r.status === 403);
    const elapsed = performance.now() - started;
    process.stdout.write(`push-to-enforced: ${elapsed.toFixed(0)} ms (webhook answered in ${push.deliveries[0]?.durationMs.toFixed(1)} ms; aim < 2000 ms)\n`);

    expect(denied.status).toBe(403);
    expect(JSON.parse(denied.text).error.code).toBe('file_excluded');
    expect(stack.dataplane.store.status().serial).toBeGreaterThan(first);
    const entry = fixture.payload().projects['10'];
    expect(entry?.config).toMatchObject({ file: '.aiconfig', commit: push.after });
    expect(fixture.logs.join('')).not.toContain(WEBHOOK_TOKEN);
    expect(fixture.logs.join('')).not.toContain(COMPILER_TOKEN);
  });
});
