import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFakeAiGateway } from '../fake-ai-gateway/fake-ai-gateway.ts';
import { SECRETS, TOKENS } from '../dataplane/fixtures.ts';
import { startStack } from '../helpers/dataplane-stack.ts';

/** The data plane with GitLab Duo configured, the fake GitLab minting credentials, the fake gateway trusting them. */
async function startDuoStack() {
  let gatewayUrl = '';
  const stack = await startStack({
    configure: (c) => ({
      ...c,
      duo: { mode: 'per-user', serviceAccountToken: undefined, gatewayUrl: undefined, defaultModels: undefined, aliases: {}, models: [], directAccess: { limit: 10, windowMs: 300_000, refreshMarginMs: 60_000, timeoutMs: 5000 }, connectTimeoutMs: 2000, firstByteTimeoutMs: 5000, idleTimeoutMs: 5000, connections: 8 },
    }),
  });
  const gateway = await startFakeAiGateway({ publicKey: stack.gitlab.duo.keys.publicKey });
  onTestFinished(() => gateway.close());
  gatewayUrl = gateway.url;
  stack.gitlab.duo.aiGatewayUrl = gatewayUrl;
  const directAccessCalls = () => stack.gitlab.requests.filter((r) => r.path.endsWith('/direct_access')).length;
  return { stack, gateway, directAccessCalls };
}

describe('GitLab Duo through aigate', () => {
  it('serves an Anthropic-assigned user through the gateway with a per-user credential, one direct_access call for many requests', async () => {
    const { stack, gateway, directAccessCalls } = await startDuoStack();
    stack.gitlab.duo.setUser('alice', { thirdPartyAgents: false, modelDetails: { model_provider: 'anthropic', model_name: 'claude-haiku-4-5-20251001' } });
    const anthropic = new Anthropic({ baseURL: `${stack.dataplane.url}/gitlab-duo`, apiKey: TOKENS.alice, maxRetries: 0, defaultHeaders: { 'X-AI-Repo': 'payments/api' } });
    for (let i = 0; i < 3; i++) {
      const message = await anthropic.messages.create({ model: 'gitlab-duo', max_tokens: 10, messages: [{ role: 'user', content: `password = ${SECRETS.password}` }] });
      expect(message.type).toBe('message');
    }
    const streamed = await anthropic.messages.stream({ model: 'gitlab-duo', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(streamed.content.length).toBeGreaterThan(0);
    expect(directAccessCalls()).toBeLessThanOrEqual(2);
    const seen = gateway.requests.at(-1)!;
    expect(seen.model).toBe('claude-haiku-4-5-20251001');
    expect(JSON.stringify(seen.headers)).not.toContain(TOKENS.alice);
    expect(gateway.requests.every((r) => !JSON.stringify(r.body ?? '').includes(SECRETS.password))).toBe(true);
    const records = (await stack.records()).filter((r) => r.route === '/gitlab-duo/v1/messages');
    expect(records.map((r) => [r.provider, r.decision, r.status])).toEqual(Array(4).fill(['gitlab-duo', 'allow', 200]));
  });

  it('serves an OpenAI-assigned user on the Responses API', async () => {
    const { stack, gateway } = await startDuoStack();
    stack.gitlab.duo.setUser('alice', { thirdPartyAgents: false, modelDetails: { model_provider: 'openai', model_name: 'gpt-5-codex' } });
    const openai = new OpenAI({ baseURL: `${stack.dataplane.url}/gitlab-duo/v1`, apiKey: TOKENS.alice, maxRetries: 0, defaultHeaders: { 'X-AI-Repo': 'payments/api' } });
    const stream = await openai.responses.create({ model: 'gitlab-duo', input: 'hi', stream: true });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types.at(-1)).toBe('response.completed');
    expect(gateway.requests.at(-1)!.model).toBe('gpt-5-codex');
  });

  it('shows GitLab\'s refusal (no Duo for this user) in the client\'s own format', async () => {
    const { stack } = await startDuoStack();
    stack.gitlab.duo.setUser('alice', { thirdPartyAgents: false, codeSuggestions: false });
    const anthropic = new Anthropic({ baseURL: `${stack.dataplane.url}/gitlab-duo`, apiKey: TOKENS.alice, maxRetries: 0, defaultHeaders: { 'X-AI-Repo': 'payments/api' } });
    const error = await anthropic.messages.create({ model: 'gitlab-duo', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect((error as { error: { error: { code: string } } }).error.error.code).toBe('duo_not_enabled');
  });

  it('keeps the policy: a repository that does not allow gitlab-duo is refused before GitLab is asked', async () => {
    const { stack, directAccessCalls } = await startDuoStack();
    const r = await stack.request('/gitlab-duo/v1/messages', { method: 'POST', token: TOKENS.alice, headers: { 'x-ai-repo': 'team/app' }, body: JSON.stringify({ model: 'gitlab-duo', max_tokens: 5, messages: [] }) });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text).error.code).toBe('provider_not_allowed');
    expect(directAccessCalls()).toBe(0);
  });
});
