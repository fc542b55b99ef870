import { describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from './fake-provider.ts';
import { KEYS, rejection, useFakeProvider } from './test-helpers.ts';

const ANTHROPIC_HEADERS = { 'x-api-key': KEYS[0], 'anthropic-version': '2023-06-01', 'content-type': 'application/json' };
const OPENAI_HEADERS = { authorization: `Bearer ${KEYS[0]}`, 'content-type': 'application/json' };
const MESSAGES_BODY = { model: 'claude-fake-opus-4', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] };
const CHAT_BODY = { model: 'gpt-fake-5', messages: [{ role: 'user', content: 'hi' }] };

async function post(fake: FakeProvider, path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(fake.url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Splits an SSE body into events exactly as written: the `event:` name (if any) and the `data:` text. */
function frames(text: string): { event: string | undefined; data: string }[] {
  expect(text.endsWith('\n\n')).toBe(true);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
      expect(lines.length).toBe(event === undefined ? 1 : 2);
      expect(data).toHaveLength(1);
      return { event, data: data[0] ?? '' };
    });
}

describe('fake providers on the wire', () => {
  const fake = useFakeProvider();

  it('Anthropic SSE: event/data pairs, event name = data.type, ping after the first block start', async () => {
    fake().script.set({ text: 'Hi', textEvents: 2, toolCall: { readFile: '/ws/x', argumentEvents: 2 } });
    const res = await post(fake(), '/v1/messages?beta=true', { ...MESSAGES_BODY, stream: true }, ANTHROPIC_HEADERS);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const events = frames(res.text);
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => JSON.parse(e.data).delta);
    expect(deltas.map((d) => d.type)).toEqual(['text_delta', 'text_delta', 'input_json_delta', 'input_json_delta']);
    expect(JSON.parse(events[10]?.data ?? '{}')).toMatchObject({ delta: { stop_reason: 'tool_use' }, usage: { output_tokens: expect.any(Number) } });
    expect(fake().requests[0]).toMatchObject({ rawQuery: 'beta=true', query: { beta: 'true' }, authScheme: 'x-api-key', keyIndex: 0 });
  });

  it('Chat SSE: data lines only, usage chunk only with include_usage, then data: [DONE]', async () => {
    const plain = frames((await post(fake(), '/v1/chat/completions', { ...CHAT_BODY, stream: true }, OPENAI_HEADERS)).text);
    expect(plain.every((f) => f.event === undefined)).toBe(true);
    expect(plain.at(-1)?.data).toBe('[DONE]');
    expect(plain.slice(0, -1).every((f) => !('usage' in JSON.parse(f.data)))).toBe(true);
    const withUsage = frames((await post(fake(), '/v1/chat/completions', { ...CHAT_BODY, stream: true, stream_options: { include_usage: true } }, OPENAI_HEADERS)).text);
    expect(JSON.parse(withUsage.at(-2)?.data ?? '{}')).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it('Responses SSE: every event is named after its type', async () => {
    const events = frames((await post(fake(), '/v1/responses', { model: 'gpt-fake-5', input: 'hi', stream: true }, OPENAI_HEADERS)).text);
    for (const e of events) expect(JSON.parse(e.data).type).toBe(e.event);
    expect(events.at(-1)?.event).toBe('response.completed');
  });

  it('Anthropic checks: key required, unknown key, anthropic-version required, malformed body', async () => {
    const noKey = await post(fake(), '/v1/messages', MESSAGES_BODY, { 'anthropic-version': '2023-06-01' });
    expect([noKey.status, JSON.parse(noKey.text)]).toEqual([401, { type: 'error', error: { type: 'authentication_error', message: 'x-api-key header is required' }, request_id: noKey.headers.get('request-id') }]);
    const badKey = await post(fake(), '/v1/messages', MESSAGES_BODY, { ...ANTHROPIC_HEADERS, 'x-api-key': 'nope' });
    expect(badKey.status).toBe(401);
    const noVersion = await post(fake(), '/v1/messages', MESSAGES_BODY, { 'x-api-key': KEYS[1] });
    expect([noVersion.status, JSON.parse(noVersion.text).error]).toEqual([400, { type: 'invalid_request_error', message: 'anthropic-version: header is required' }]);
    const bearer = await post(fake(), '/v1/messages', MESSAGES_BODY, { authorization: `Bearer ${KEYS[1]}`, 'anthropic-version': '2023-06-01' });
    expect(bearer.status).toBe(200);
    const broken = await post(fake(), '/v1/messages', '{"model":', ANTHROPIC_HEADERS);
    expect([broken.status, JSON.parse(broken.text).error.type]).toEqual([400, 'invalid_request_error']);
    const noMaxTokens = await post(fake(), '/v1/messages', { ...MESSAGES_BODY, max_tokens: undefined }, ANTHROPIC_HEADERS);
    expect(JSON.parse(noMaxTokens.text).error.message).toBe('max_tokens: Field required');
    expect(fake().requests.map((r) => r.keyIndex)).toEqual([-1, -1, 1, 1, 0, 0]);
  });

  it('OpenAI checks: Bearer only (x-api-key is not a key there), OpenAI error shape', async () => {
    const apiKeyOnly = await post(fake(), '/v1/chat/completions', CHAT_BODY, { 'x-api-key': KEYS[0] });
    expect(apiKeyOnly.status).toBe(401);
    expect(JSON.parse(apiKeyOnly.text)).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } });
    expect(apiKeyOnly.headers.get('x-request-id')).toMatch(/^req_/);
    const unknownPath = await fetch(`${fake().url}/v1/nothing`, { headers: OPENAI_HEADERS });
    expect([unknownPath.status, ((await unknownPath.json()) as { error: { message: string } }).error.message]).toEqual([404, 'Not found: GET /v1/nothing']);
  });

  it('GET /v1/models answers in the Anthropic format when anthropic-version is present', async () => {
    const anthropic = await (await fetch(`${fake().url}/v1/models`, { headers: ANTHROPIC_HEADERS })).json();
    expect(anthropic).toMatchObject({ has_more: false, first_id: 'claude-fake-opus-4', data: [{ type: 'model', id: 'claude-fake-opus-4' }, { id: 'claude-fake-haiku-4' }] });
    const openai = await (await fetch(`${fake().url}/v1/models`, { headers: OPENAI_HEADERS })).json();
    expect(openai).toMatchObject({ object: 'list', data: [{ object: 'model', id: 'gpt-fake-5' }, { id: 'gpt-fake-5-mini' }] });
  });

  it('echo upstream: any other POST returns what it received, and the log has it too', async () => {
    const body = { messages: [{ role: 'user', content: 'complete this' }] };
    const res = await post(fake(), '/copilot/chat/completions?x=1', body, { ...OPENAI_HEADERS, 'X-AI-Repo': 'acme/api' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ method: 'POST', path: '/copilot/chat/completions', query: { x: '1' }, json: body, headers: { 'x-ai-repo': 'acme/api', authorization: `Bearer ${KEYS[0]}` } });
    const codeium = await post(fake(), '/codeium/exa.language_server_pb.LanguageServerService/GetCompletions', 'not json', {});
    expect(JSON.parse(codeium.text)).toMatchObject({ json: null, bodyText: 'not json' });
    expect(fake().requests.map((r) => [r.route, r.keyIndex])).toEqual([['echo', 0], ['echo', -1]]);
  });

  it('faults: `times` counts matching requests; match by key index; runtime add and clear', async () => {
    fake().faults.add({ status: 429, times: 2, match: { keyIndex: 0 } });
    const statuses: number[] = [];
    for (const key of [KEYS[1], KEYS[0], KEYS[0], KEYS[0]]) {
      statuses.push((await post(fake(), '/v1/chat/completions', CHAT_BODY, { authorization: `Bearer ${key}` })).status);
    }
    expect(statuses).toEqual([200, 429, 429, 200]);
    expect(fake().faults.active).toEqual([]);
    fake().faults.add({ status: 503, times: Infinity });
    expect((await post(fake(), '/v1/chat/completions', CHAT_BODY, OPENAI_HEADERS)).status).toBe(503);
    expect((await post(fake(), '/v1/chat/completions', CHAT_BODY, OPENAI_HEADERS)).status).toBe(503);
    fake().faults.clear();
    expect((await post(fake(), '/v1/chat/completions', CHAT_BODY, OPENAI_HEADERS)).status).toBe(200);
  });

  it('faults: retry headers, raw HTML bodies, and auth failures do not use a fault up', async () => {
    fake().faults.set([{ status: 529, retryAfterMs: 250, shouldRetry: false }, { status: 502, body: { text: '<html>502 Bad Gateway</html>', contentType: 'text/html' } }]);
    const unauthenticated = await post(fake(), '/v1/messages', MESSAGES_BODY, { 'anthropic-version': '2023-06-01' });
    expect(unauthenticated.status).toBe(401);
    const overloaded = await post(fake(), '/v1/messages', MESSAGES_BODY, ANTHROPIC_HEADERS);
    expect([overloaded.status, overloaded.headers.get('retry-after-ms'), overloaded.headers.get('x-should-retry')]).toEqual([529, '250', 'false']);
    expect(JSON.parse(overloaded.text).error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
    const gateway = await post(fake(), '/v1/messages', MESSAGES_BODY, ANTHROPIC_HEADERS);
    expect([gateway.status, gateway.headers.get('content-type'), gateway.text]).toEqual([502, 'text/html', '<html>502 Bad Gateway</html>']);
    expect(fake().requests.map((r) => r.fault?.status)).toEqual([undefined, 529, 502]);
  });

  it('faults: reset before headers and mid-body on non-streaming replies', async () => {
    fake().faults.add({ resetAfterEvents: 0 });
    await expect(fetch(`${fake().url}/v1/chat/completions`, { method: 'POST', headers: OPENAI_HEADERS, body: JSON.stringify(CHAT_BODY) })).rejects.toThrow();
    fake().faults.add({ resetAfterEvents: 1 });
    const res = await fetch(`${fake().url}/v1/chat/completions`, { method: 'POST', headers: OPENAI_HEADERS, body: JSON.stringify(CHAT_BODY) });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    await fake().idle();
    expect(fake().requests.map((r) => [r.status, r.reset, r.completed])).toEqual([
      [0, true, false],
      [200, true, false],
    ]);
  });

  it('latency and per-event delay show in the server-side timings', async () => {
    fake().faults.add({ latencyMs: 120 });
    fake().script.set({ textEvents: 5, eventDelayMs: 30 });
    await post(fake(), '/v1/messages', { ...MESSAGES_BODY, stream: true }, ANTHROPIC_HEADERS);
    const { timings, eventsSent } = fake().requests[0] ?? { timings: { startedAt: 0 }, eventsSent: 0 };
    expect(eventsSent).toBe(11);
    expect(timings.headersMs).toBeGreaterThanOrEqual(120);
    expect(timings.firstEventMs).toBeGreaterThanOrEqual(timings.headersMs ?? Infinity);
    // 10 delays between 11 events.
    expect((timings.endMs ?? 0) - (timings.firstEventMs ?? Infinity)).toBeGreaterThanOrEqual(290);
  });

  it('setKeys revokes a key for the next request', async () => {
    expect((await post(fake(), '/v1/chat/completions', CHAT_BODY, OPENAI_HEADERS)).status).toBe(200);
    fake().setKeys([KEYS[1]]);
    expect((await post(fake(), '/v1/chat/completions', CHAT_BODY, OPENAI_HEADERS)).status).toBe(401);
  });

  it('a client that disconnects while the fake waits is logged as aborted', async () => {
    fake().faults.add({ latencyMs: 2000 });
    const controller = new AbortController();
    const pending = fetch(`${fake().url}/v1/chat/completions`, { method: 'POST', headers: OPENAI_HEADERS, body: JSON.stringify(CHAT_BODY), signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await rejection(pending);
    await fake().idle();
    expect(fake().requests[0]).toMatchObject({ clientAborted: true, status: 0, completed: false });
  });

  it('logLimit keeps only the newest entries', async () => {
    const small = await startFakeProvider({ logLimit: 2 });
    try {
      for (let i = 0; i < 3; i++) await post(small, '/v1/chat/completions', CHAT_BODY, { authorization: 'Bearer fake-key-0' });
      expect(small.requests.map((r) => r.seq)).toEqual([2, 3]);
    } finally {
      await small.close();
    }
  });
});
