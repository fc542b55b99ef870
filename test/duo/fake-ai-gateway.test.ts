import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { DuoCredential } from '../../dataplane/duo/duo-credential.ts';
import { duoRoute } from '../../dataplane/duo/duo-models.ts';
import { gatewayHeaders } from '../../dataplane/duo/gateway-headers.ts';
import { ALICE, BOB, useDuoStack, type DuoStack } from './duo-stack.ts';

const MESSAGES = { model: 'claude-sonnet-4-5-20250929', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };

async function post(s: DuoStack, path: string, headers: Record<string, string>, body: unknown = MESSAGES): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${s.gateway.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const anthropicHeaders = (c: DuoCredential, extra: Record<string, string> = {}): Record<string, string> => gatewayHeaders(c, extra, 'anthropic');

describe('fake AI gateway: what it enforces', () => {
  const stack = useDuoStack();

  it('answers a request with the direct_access credential and its headers', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    const r = await post(s, '/v1/proxy/anthropic/v1/messages', anthropicHeaders(c, { 'anthropic-beta': 'x', 'x-stainless-lang': 'js' }));
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ type: 'message', model: MESSAGES.model });
    // Only content-type comes back; only allow-listed headers would go upstream.
    expect([...r.headers.keys()].filter((h) => h !== 'content-length' && h !== 'date' && h !== 'connection' && h !== 'keep-alive')).toEqual(['content-type']);
    expect(s.gateway.requests.at(-1)?.forwarded).toEqual({ accept: '*/*', 'content-type': 'application/json', 'anthropic-version': '2023-06-01' });
  });

  it('rejects a request without the unit-primitive header (400) or with an unknown one', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    const { 'x-gitlab-unit-primitive': _dropped, ...without } = anthropicHeaders(c);
    expect(await post(s, '/v1/proxy/anthropic/v1/messages', without)).toMatchObject({ status: 400, json: { detail: 'Missing x-gitlab-unit-primitive header' } });
    expect(await post(s, '/v1/proxy/anthropic/v1/messages', { ...without, 'x-gitlab-unit-primitive': 'make_coffee' })).toMatchObject({ status: 400, json: { detail: 'Unknown unit primitive header make_coffee' } });
  });

  it('rejects a model outside the proxy allow-list (400) and one the namespace excludes (403)', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    expect(await post(s, '/v1/proxy/anthropic/v1/messages', anthropicHeaders(c), { ...MESSAGES, model: 'duo-chat-sonnet-4-5' })).toMatchObject({ status: 400, json: { detail: 'Unsupported model' } });
    s.gitlab.duo.setUser('bob', { allowedModelRefs: ['claude_haiku_4_5_20251001'] });
    const b = await s.creds.get(BOB.id, BOB.token);
    expect(await post(s, '/v1/proxy/anthropic/v1/messages', anthropicHeaders(b))).toMatchObject({ status: 403, json: { detail: 'Model is not allowed by the namespace model allowlist' } });
    expect((await post(s, '/v1/proxy/anthropic/v1/messages', anthropicHeaders(b), { ...MESSAGES, model: 'claude-haiku-4-5-20251001' })).status).toBe(200);
  });

  it('rejects an expired token (401) and a token presented with another user\'s identity headers', async () => {
    const s = stack();
    const a = await s.creds.get(ALICE.id, ALICE.token);
    const b = await s.creds.get(BOB.id, BOB.token);
    const swapped = { ...anthropicHeaders(a), authorization: `Bearer ${b.token}` };
    expect(await post(s, '/v1/proxy/anthropic/v1/messages', swapped)).toMatchObject({ status: 401, json: { error: "Header mismatch 'X-Gitlab-Global-User-Id'" } });
    s.gitlab.duo.advance(3601_000);
    expect(await post(s, '/v1/proxy/anthropic/v1/messages', anthropicHeaders(a))).toMatchObject({ status: 401, json: { error: 'Forbidden by auth provider' } });
  });

  it('rejects a forged token, a missing bearer and a non-OIDC type', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    const [h, p] = c.token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p as string, 'base64url').toString()), exp: 9e9 })).toString('base64url')}.${c.token.split('.')[2]}`;
    expect((await post(s, '/v1/proxy/anthropic/v1/messages', { ...anthropicHeaders(c), authorization: `Bearer ${forged}` })).json).toEqual({ error: 'Forbidden by auth provider' });
    const { authorization: _a, ...noAuth } = anthropicHeaders(c);
    expect((await post(s, '/v1/proxy/anthropic/v1/messages', noAuth)).json).toEqual({ error: 'No authorization header presented' });
    expect((await post(s, '/v1/proxy/anthropic/v1/messages', { ...anthropicHeaders(c), 'x-gitlab-authentication-type': 'key' })).status).toBe(401);
  });

  it('serves only the allowed upstream paths', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    expect((await post(s, '/v1/proxy/anthropic/v1/messages?beta=true', anthropicHeaders(c))).status).toBe(200);
    expect((await post(s, '/v1/proxy/anthropic/v1/messages?beta=false', anthropicHeaders(c))).status).toBe(404);
    expect((await post(s, '/v1/proxy/anthropic/v1/complete', anthropicHeaders(c))).status).toBe(404);
    expect((await post(s, '/v1/proxy/openai/v1/files', gatewayHeaders(c, {}, 'openai'), { model: 'gpt-5' })).status).toBe(404);
  });

  it('refuses a code_suggestions token that lacks the proxy unit primitive (403)', async () => {
    const s = stack();
    s.gitlab.duo.setUser('alice', { thirdPartyAgents: false, modelProxy: false });
    const c = await s.creds.get(ALICE.id, ALICE.token);
    expect(c.source).toBe('code_suggestions');
    expect(await post(s, '/v1/proxy/anthropic/v1/messages', anthropicHeaders(c))).toMatchObject({ status: 403, json: { detail: 'Unauthorized to access ai_gateway_model_provider_proxy' } });
  });

  it('answers 402 for a user out of credits', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    s.gateway.exhaustCredits(s.gitlab.duo.globalUserId(ALICE.id));
    expect((await post(s, '/v1/proxy/anthropic/v1/messages', anthropicHeaders(c))).status).toBe(402);
    expect((await post(s, '/v1/proxy/openai/v1/responses', gatewayHeaders(c, {}, 'openai'), { model: 'gpt-5-codex', input: 'hi' })).json).toMatchObject({ error: { code: 'insufficient_credits' } });
  });
});

describe('fake AI gateway: answers the official SDKs can parse', () => {
  const stack = useDuoStack();

  const sdkHeaders = (c: DuoCredential, provider: 'anthropic' | 'openai'): Record<string, string> => {
    const { authorization: _a, 'content-type': _c, ...rest } = gatewayHeaders(c, {}, provider);
    return rest;
  };

  it('Anthropic SDK: messages, streaming and count_tokens', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    const client = new Anthropic({ baseURL: `${s.gateway.url}/v1/proxy/anthropic`, authToken: c.token, apiKey: null, defaultHeaders: sdkHeaders(c, 'anthropic'), maxRetries: 0 });
    const route = duoRoute('duo-chat-sonnet-4-5', 'anthropic-messages');
    const message = await client.messages.create({ model: route.upstreamModel, max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: s.gateway.replyText });
    const stream = client.messages.stream({ model: route.upstreamModel, max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] });
    expect(await stream.finalText()).toBe(s.gateway.replyText);
    // The gateway serves count_tokens only as `?beta=true` (duoRoute adds it), which this SDK no longer sends.
    await expect(client.messages.countTokens({ model: route.upstreamModel, messages: [{ role: 'user', content: 'hello' }] })).rejects.toMatchObject({ status: 404 });
    const counted = duoRoute(route.upstreamModel, 'anthropic-count-tokens').gatewayPath.replace('/v1/proxy/anthropic', '');
    const count = await client.post<{ input_tokens: number }>(counted, { body: { model: route.upstreamModel, messages: [{ role: 'user', content: 'hello' }] } });
    expect(count.input_tokens).toBeGreaterThan(0);
  });

  it('OpenAI SDK: chat completions and responses, streaming too', async () => {
    const s = stack();
    const c = await s.creds.get(ALICE.id, ALICE.token);
    const client = new OpenAI({ baseURL: `${s.gateway.url}/v1/proxy/openai/v1`, apiKey: c.token, defaultHeaders: sdkHeaders(c, 'openai'), maxRetries: 0 });
    const chat = await client.chat.completions.create({ model: 'gpt-5.1-2025-11-13', messages: [{ role: 'user', content: 'hello' }] });
    expect(chat.choices[0]?.message.content).toBe(s.gateway.replyText);
    let streamed = '';
    for await (const chunk of await client.chat.completions.create({ model: 'gpt-5.1-2025-11-13', messages: [{ role: 'user', content: 'hello' }], stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(s.gateway.replyText);
    const response = await client.responses.create({ model: 'gpt-5-codex', input: 'hello' });
    expect(response.output_text).toBe(s.gateway.replyText);
    const rs = client.responses.stream({ model: 'gpt-5-codex', input: 'hello' });
    expect((await rs.finalResponse()).output_text).toBe(s.gateway.replyText);
    expect(s.gateway.requests.every((r) => r.status === 200)).toBe(true);
  });
});
