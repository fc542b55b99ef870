import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../dataplane/metrics/parse-exposition.ts';
import { SECRETS, TOKENS } from '../dataplane/fixtures.ts';
import { startProviderStack } from './provider-stack.ts';

describe('GET /metrics', () => {
  it('counts requests by provider, decision and status, redactions by rule, and the bundle serial, without users or secrets', async () => {
    const stack = await startProviderStack();
    const body = JSON.stringify({ model: 'claude-fake-opus-4', max_tokens: 5, messages: [{ role: 'user', content: `password = ${SECRETS.password}` }] });
    const headers = { 'x-ai-repo': 'team/app', 'anthropic-version': '2023-06-01' };
    expect((await stack.request('/anthropic/v1/messages', { method: 'POST', token: TOKENS.alice, headers, body })).status).toBe(200);
    expect((await stack.request('/anthropic/v1/messages', { method: 'POST', token: TOKENS.alice, headers: { ...headers, 'x-ai-repo': 'team/secrets-db' }, body })).status).toBe(403);
    const r = await stack.request('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parseExposition(r.text);
    const value = (name: string, labels: Record<string, string>) => families.get(name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    expect(value('aigate_requests_total', { provider: 'anthropic', decision: 'allow', status: '200' })).toBe(1);
    expect(value('aigate_requests_total', { provider: 'anthropic', decision: 'deny', status: '403' })).toBe(1);
    expect(value('aigate_request_refusals_total', { reason: 'repo_blocked' })).toBe(1);
    expect(value('aigate_redactions_total', { rule: 'password-assignment' })).toBe(1);
    expect(value('aigate_bundle_serial', {})).toBe(stack.dataplane.store.status().serial);
    for (const needle of [TOKENS.alice, SECRETS.password, 'alice', 'team/app']) expect(r.text).not.toContain(needle);
  });
});
