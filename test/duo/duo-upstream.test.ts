import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { DuoCredentials } from '../../dataplane/duo/duo-credentials.ts';
import { DuoError } from '../../dataplane/duo/duo-error.ts';
import { createDuoModelRegistry } from '../../dataplane/duo/duo-model-registry.ts';
import type { DuoApi } from '../../dataplane/duo/duo-models.ts';
import { prepareDuoUpstream } from '../../dataplane/duo/duo-upstream.ts';
import { classifyGatewayFailure } from '../../dataplane/duo/gateway-failure.ts';
import { startFakeAiGateway } from '../fake-ai-gateway/fake-ai-gateway.ts';
import { startFakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { ALICE, BOB, useDuoStack } from './duo-stack.ts';

/** What the forward stage does: prepare, send, and on a 401 invalidate and retry once. */
async function forward(credentials: DuoCredentials, user: { id: number; token: string }, api: DuoApi, body: Record<string, unknown>, incoming: Record<string, string> = {}) {
  let retried = false;
  for (;;) {
    const prepared = await prepareDuoUpstream({ credentials }, { userId: user.id, gitlabToken: user.token, api, body, incoming });
    const res = await request(prepared.url, { method: 'POST', headers: prepared.headers, body: prepared.body });
    const text = await res.body.text();
    if (res.statusCode < 300) return { status: res.statusCode, text, prepared };
    const failure = classifyGatewayFailure(res.statusCode, text, retried);
    if (failure.action === 'refresh') {
      credentials.invalidate(user.id, user.token, prepared.credential);
      retried = true;
      continue;
    }
    if (failure.action === 'error') throw failure.error;
    return { status: res.statusCode, text, prepared };
  }
}

describe('Duo upstream requests against the fake gateway', () => {
  const stack = useDuoStack();

  it('serves an Anthropic-assigned user on the Messages API and an OpenAI-assigned one on Responses', async () => {
    const s = stack();
    s.gitlab.duo.setUser('alice', { thirdPartyAgents: false, modelDetails: { model_provider: 'anthropic', model_name: 'claude-haiku-4-5-20251001' } });
    s.gitlab.duo.setUser('bob', { thirdPartyAgents: false, modelDetails: { model_provider: 'openai', model_name: 'gpt-5-codex' } });
    const registry = createDuoModelRegistry();
    const a = await prepareDuoUpstream({ credentials: s.creds, registry }, { userId: ALICE.id, gitlabToken: ALICE.token, api: 'anthropic-messages', body: { model: 'gitlab-duo', max_tokens: 10, messages: [] }, incoming: {} });
    expect(a.route.upstreamModel).toBe('claude-haiku-4-5-20251001');
    const b = await forward(s.creds, BOB, 'openai-responses', { model: 'gitlab-duo', input: 'hi', stream: true });
    expect(b.prepared.route.upstreamModel).toBe('gpt-5-codex');
    expect(b.text).toContain('event: response.completed');
    expect(registry.routesToDuo('claude-haiku-4-5-20251001')).toBe(true);
    const seen = s.gateway.requests.at(-1);
    expect(seen?.claims?.sub).toBe(s.gitlab.duo.globalUserId(BOB.id));
    expect(seen?.model).toBe('gpt-5-codex');
  });

  it('never sends the client\'s GitLab token to the gateway', async () => {
    const s = stack();
    await forward(s.creds, ALICE, 'anthropic-messages', { model: 'duo-chat-sonnet-4-5', max_tokens: 10, messages: [] }, { authorization: `Bearer ${ALICE.token}`, 'x-api-key': ALICE.token });
    const seen = s.gateway.requests.at(-1);
    expect(JSON.stringify(seen?.headers)).not.toContain(ALICE.token);
    expect(seen?.model).toBe('claude-sonnet-4-5-20250929');
  });

  it('refreshes once after a gateway 401 and succeeds with the new credential', async () => {
    const s = stack();
    // aigate's clock runs two hours behind: it still trusts a token the gateway has seen expire.
    const lagging = s.credentials({ now: () => s.gitlab.duo.now() - 7200_000 });
    const first = await lagging.get(ALICE.id, ALICE.token);
    s.gitlab.duo.advance(3700_000);
    const r = await forward(lagging, ALICE, 'openai-chat', { model: 'gpt-5.1-2025-11-13', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.status).toBe(200);
    expect(r.prepared.credential.token).not.toBe(first.token);
    expect(s.gateway.requests.map((q) => q.status)).toEqual([401, 200]);
    expect(stack().directAccessCalls()).toBe(2);
  });

  it('gives up after the second 401 with duo_gateway_rejected', async () => {
    const s = stack();
    // A gateway that trusts another GitLab's key: every credential is refused.
    const other = await startFakeGitLab({ fixtures: { users: [], tokens: [], projects: [] } });
    try {
      const stranger = await startFakeAiGateway({ publicKey: other.duo.keys.publicKey });
      try {
        const creds = s.credentials({ gatewayUrl: stranger.url });
        const error = await forward(creds, ALICE, 'anthropic-messages', { model: 'gitlab-duo', max_tokens: 5, messages: [] }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DuoError);
        expect((error as DuoError).code).toBe('duo_gateway_rejected');
        expect(stranger.requests.length).toBe(2);
      } finally {
        await stranger.close();
      }
    } finally {
      await other.close();
    }
  });

  it('refuses a model of the other API family before any gateway call', async () => {
    const s = stack();
    await expect(prepareDuoUpstream({ credentials: s.creds }, { userId: ALICE.id, gitlabToken: ALICE.token, api: 'openai-chat', body: { model: 'duo-chat-opus-4-5' }, incoming: {} })).rejects.toMatchObject({ code: 'duo_model_unsupported' });
    expect(s.gateway.requests).toEqual([]);
  });
});
