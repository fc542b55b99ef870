import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { ORG_POLICY, SECRETS, TOKENS } from '../dataplane/fixtures.ts';
import { startProviderStack } from './provider-stack.ts';

describe('rate limits and unscoped requests', () => {
  it('refuses the request above the per-user hourly limit with 429 and Retry-After in the provider format', async () => {
    const stack = await startProviderStack({ orgPolicy: `${ORG_POLICY}rate_limits:\n  per_user: 3\n` });
    const anthropic = new Anthropic({ baseURL: `${stack.dataplane.url}/anthropic`, apiKey: TOKENS.alice, maxRetries: 0, defaultHeaders: { 'X-AI-Repo': 'team/app' } });
    const ask = () => anthropic.messages.create({ model: 'claude-fake-opus-4', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    for (let i = 0; i < 3; i++) await ask();
    const error = await ask().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rate = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(Number(rate.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect((rate.error as { error: { code: string } }).error.code).toBe('rate_limited');
    expect(stack.provider.requests).toHaveLength(3);
    // Another user has their own budget.
    const bob = await stack.request('/anthropic/v1/messages', { method: 'POST', token: TOKENS.bob, headers: { 'x-ai-repo': 'oss/lib', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-fake-opus-4', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(bob.status).toBe(200);
  });

  it('allows unscoped requests when the org says so, with org-wide redaction, and marks them unscoped', async () => {
    const stack = await startProviderStack({ orgPolicy: `${ORG_POLICY}unscoped_requests: allow\n` });
    const r = await stack.request('/anthropic/v1/messages', { method: 'POST', token: TOKENS.alice, headers: { 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-fake-opus-4', max_tokens: 5, messages: [{ role: 'user', content: `password = ${SECRETS.password}` }] }) });
    expect(r.status).toBe(200);
    expect(stack.provider.requests.at(-1)!.bodyText).toContain('password=REDACTED');
    const [record] = (await stack.records()).filter((x) => x.route === '/anthropic/v1/messages');
    expect(record).toMatchObject({ unscoped: true, repo: null, decision: 'allow' });
    // Codeium is disabled org-wide, so even unscoped it is refused.
    const c = await stack.request('/codeium/x', { method: 'POST', token: TOKENS.alice, body: '{}' });
    expect(JSON.parse(c.text).error.code).toBe('provider_not_allowed');
  });

  it('gives up on a provider that does not answer within first_byte_timeout, with 504 in the client format', async () => {
    const stack = await startProviderStack({ upstream: { firstByteTimeoutMs: 200 }, fake: { faults: [{ latencyMs: 2000, times: Infinity }] } });
    const started = performance.now();
    const r = await stack.request('/anthropic/v1/messages', { method: 'POST', token: TOKENS.alice, headers: { 'x-ai-repo': 'team/app', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-fake-opus-4', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(r.status).toBe(504);
    expect(JSON.parse(r.text)).toMatchObject({ type: 'error', error: { code: 'upstream_timeout' } });
    // Well before the provider's 2 s answer (undici's timer resolution is coarse, so no tight bound).
    expect(performance.now() - started).toBeLessThan(1900);
  });

  it('answers 503 provider_unconfigured when the policy allows a provider the proxy has no upstream for', async () => {
    const stack = await startProviderStack({ configure: (c) => c });
    // gitlab-duo is allowed by the org policy but not configured in this stack.
    const r = await stack.request('/gitlab-duo/v1/chat/completions', { method: 'POST', token: TOKENS.alice, headers: { 'x-ai-repo': 'oss/lib' }, body: JSON.stringify({ model: 'gpt-fake-5', messages: [] }) });
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text).error.code).toBe('provider_unconfigured');
  });
});
