import { describe, expect, it } from 'vitest';
import type { BundlePayloadV1, ProjectEntryV1 } from '../../policy/bundle-types.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { parsePrivateKey } from '../../policy/keys.ts';
import { compileFixture } from '../helpers/policy-fixtures.ts';
import { startStack, type Stack } from '../helpers/dataplane-stack.ts';
import { AICONFIGS, GITLAB_FIXTURES, ORG_POLICY, TOKENS } from './fixtures.ts';

const projects = GITLAB_FIXTURES.projects.map((p) => ({ id: p.id, path: p.path, ...(AICONFIGS[p.path] !== undefined ? { aiconfig: AICONFIGS[p.path] } : {}) }));

/** The fixture bundle plus `extra` copies of a real project entry: a bundle that takes a while to verify. */
function largeEnvelope(stack: Stack, serial: number, extra: number): string {
  const base = compileFixture(ORG_POLICY, projects, { serial });
  const entry = Object.values(base.projects)[0] as ProjectEntryV1;
  const bulk: Record<string, ProjectEntryV1> = { ...base.projects };
  for (let i = 0; i < extra; i++) bulk[String(1_000_000 + i)] = { ...entry, path: `bulk/project-${i}` };
  const payload: BundlePayloadV1 = { ...base, projects: bulk };
  const key = parsePrivateKey(stack.signing.privateKeyPem);
  if (!key.ok) throw new Error('test key');
  return JSON.stringify(signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(payload), [{ key: key.key, keyid: key.keyid }]));
}

describe('bundle verification off the event loop', () => {
  it('answers requests while a large bundle is being verified, then swaps', async () => {
    const stack = await startStack();
    const store = stack.dataplane.store;
    const before = store.status().serial!;
    const envelope = largeEnvelope(stack, before + 1, 5_000);
    // Warm the token and project caches, so the request below measures nothing but the event loop.
    expect((await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice })).status).toBe(200);

    const swap = store.offerSigned(envelope, 'test:large');
    // The offer starts after the queue's microtask; by the first request it is under way.
    await Promise.resolve();
    expect(store.status().verifying).toBe('test:large');

    // A synchronous verification would finish before any request could be answered; here /health
    // and a context request complete while the verification is still running.
    const health = await stack.request('/health');
    expect(store.status().verifying).toBe('test:large');
    expect(JSON.parse(health.text).bundle).toMatchObject({ serial: before, verifying: 'test:large' });
    const context = await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice });
    expect(context.status).toBe(200);
    expect(store.status().verifying).toBe('test:large');

    expect(await swap).toBe(true);
    expect(store.status()).toMatchObject({ serial: before + 1, verifying: null, lastError: null, source: 'test:large' });
    const after = await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice });
    expect(after.headers.get('x-aigate-bundle-serial')).toBe(String(before + 1));
  });

  it('judges offers one at a time: an older bundle offered during a verification is a rollback', async () => {
    const stack = await startStack();
    const store = stack.dataplane.store;
    const before = store.status().serial!;
    const newer = store.offerSigned(largeEnvelope(stack, before + 10, 2_000), 'test:newer');
    // Judged side by side, the small older bundle would pass first (its serial is above the mark).
    const older = store.offerSigned(largeEnvelope(stack, before + 5, 0), 'test:older');
    expect(await newer).toBe(true);
    expect(await older).toBe(false);
    expect(store.status()).toMatchObject({ serial: before + 10, lastError: { code: 'bundle_rollback' } });
  });

  it('keeps the last good bundle when the verification worker cannot parse the envelope', async () => {
    const stack = await startStack();
    const store = stack.dataplane.store;
    const before = store.status().serial!;
    expect(await store.offerSigned('{"payloadType":', 'test:broken')).toBe(false);
    expect(store.status()).toMatchObject({ serial: before, verifying: null, lastError: { code: 'bundle_signature', message: expect.stringContaining('envelope_malformed') } });
  });
});
