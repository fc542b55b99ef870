import { describe, expect, it } from 'vitest';
import { ORG_POLICY } from '../dataplane/fixtures.ts';
import { POLICY_PROJECT, startServiceFixture, WEBHOOK_TOKEN } from './service-fixture.ts';

const health = async (url: string) => {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

describe('compiler service lifecycle', () => {
  it('recompiles everything on a policy repository push, and keeps the last bundle when the new org policy is invalid', async () => {
    const fixture = await startServiceFixture();
    const { gitlab, service } = fixture;
    gitlab.hooks.addProjectHook(POLICY_PROJECT, { url: `${service.url}/hooks/gitlab`, token: WEBHOOK_TOKEN });
    expect((await health(service.url)).body).toMatchObject({ status: 'healthy', projects: 11, last_error: null });
    const first = fixture.payload();
    expect(first.org.providers).toContain('openai');

    const tightened = ORG_POLICY.replace('openai: { enabled: true }', 'openai: { enabled: false }');
    const push = await gitlab.hooks.push(POLICY_PROJECT, 'main', [{ files: { 'ai-policy.yml': tightened } }]);
    expect(push.deliveries[0]?.status).toBe(202);
    await service.queue.idle();
    const second = fixture.payload();
    expect(second.serial).toBeGreaterThan(first.serial);
    expect(second.org.providers).not.toContain('openai');
    expect(second.issuer).toMatchObject({ policy_repo: POLICY_PROJECT, commit: push.after });

    await gitlab.hooks.push(POLICY_PROJECT, 'main', [{ files: { 'ai-policy.yml': 'providers: [anthropic\n' } }]);
    await service.queue.idle();
    expect(fixture.payload().serial).toBe(second.serial);
    const degraded = await health(service.url);
    expect(degraded).toMatchObject({ status: 200, body: { status: 'degraded', bundle: { serial: second.serial }, last_error: { code: 'org_policy_invalid' } } });
  });

  it('re-signs on schedule with a fresh expiry although nothing changed', async () => {
    const fixture = await startServiceFixture({ configure: (c) => ({ ...c, resignEveryMs: 300 }) });
    const first = fixture.payload();
    const deadline = Date.now() + 5000;
    while (fixture.payload().serial === first.serial && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const again = fixture.payload();
    expect(again.serial).toBeGreaterThan(first.serial);
    expect(Date.parse(again.expires_at)).toBeGreaterThan(Date.parse(first.expires_at));
    expect(again.projects).toEqual(first.projects);
  });
});
