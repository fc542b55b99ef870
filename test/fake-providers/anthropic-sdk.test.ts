import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
  ServiceUnavailableError,
} from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { anthropicClient, KEYS, rejection, useFakeProvider } from './test-helpers.ts';

const ASK = { model: 'claude-fake-opus-4', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Say hi' }] };

describe('fake anthropic provider through @anthropic-ai/sdk', () => {
  const fake = useFakeProvider();

  it('non-streaming message: text, stop reason, usage; the log has the Bearer key, version and body', async () => {
    fake().script.set({ text: 'Hi there.' });
    const message = await anthropicClient(fake()).messages.create(ASK);
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: ASK.model, stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hi there.' }] });
    expect(message.id).toMatch(/^msg_/);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    const [seen] = fake().requests;
    expect(seen).toMatchObject({ method: 'POST', path: '/v1/messages', route: 'anthropic.messages', authScheme: 'bearer', key: KEYS[0], keyIndex: 0, stream: false, status: 200, completed: true });
    expect(seen?.headers['anthropic-version']).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(seen?.json).toEqual(ASK);
  });

  it('messages.stream(): 50 text deltas accumulate into finalMessage()', async () => {
    fake().script.set({ textEvents: 50 });
    const stream = anthropicClient(fake()).messages.stream(ASK);
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const message = await stream.finalMessage();
    expect(deltas).toHaveLength(50);
    expect(message.content).toEqual([{ type: 'text', text: deltas.join(''), citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.output_tokens).toBeGreaterThan(1);
    const [seen] = fake().requests;
    expect(seen?.headers['x-stainless-helper-method']).toBe('stream');
    // message_start, content_block_start, ping, 50 deltas, content_block_stop, message_delta, message_stop
    expect(seen?.eventsSent).toBe(56);
  });

  it('create({stream: true}) yields the raw event sequence (the SDK drops ping)', async () => {
    fake().script.set({ text: 'abc', textEvents: 3 });
    const events = await anthropicClient(fake()).messages.create({ ...ASK, stream: true });
    const types: string[] = [];
    for await (const event of events) types.push(event.type === 'content_block_delta' ? `${event.type}:${event.delta.type}` : event.type);
    expect(types).toEqual(['message_start', 'content_block_start', ...Array(3).fill('content_block_delta:text_delta'), 'content_block_stop', 'message_delta', 'message_stop']);
  });

  it('scripted tool use: Read with input.file_path, non-streaming and streamed as input_json_delta', async () => {
    const client = anthropicClient(fake());
    fake().script.set({ toolCall: { readFile: '/ws/app/.env', id: 'toolu_fixed' } });
    const plain = await client.messages.create(ASK);
    expect(plain.stop_reason).toBe('tool_use');
    expect(plain.content).toMatchObject([{ type: 'tool_use', id: 'toolu_fixed', name: 'Read', input: { file_path: '/ws/app/.env' } }]);

    fake().script.set({ text: 'Let me look.', toolCall: { readFile: '/ws/app/.env', argumentEvents: 5 } });
    const stream = client.messages.stream(ASK);
    const partials: string[] = [];
    stream.on('inputJson', (partial) => partials.push(partial));
    const streamed = await stream.finalMessage();
    expect(partials.join('')).toBe('{"file_path":"/ws/app/.env"}');
    expect(partials).toHaveLength(5);
    expect(streamed.content).toMatchObject([{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', name: 'Read', input: { file_path: '/ws/app/.env' } }]);
    expect(streamed.stop_reason).toBe('tool_use');
  });

  it('a tool round trip: a script function answers text once the tool result comes back', async () => {
    fake().script.set((request) => {
      const body = request.json as { messages: { content: unknown }[] };
      return JSON.stringify(body.messages.at(-1)?.content).includes('tool_result') ? { text: 'The file says hello.' } : { toolCall: { readFile: '/ws/hello.txt' } };
    });
    const client = anthropicClient(fake());
    const first = await client.messages.create(ASK);
    const call = first.content.find((block) => block.type === 'tool_use');
    if (call?.type !== 'tool_use') throw new Error('expected a tool_use block');
    const second = await client.messages.create({
      ...ASK,
      messages: [...ASK.messages, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: '1\thello' }] }],
    });
    expect(second.content).toMatchObject([{ type: 'text', text: 'The file says hello.' }]);
    expect(JSON.stringify(fake().requests[1]?.json)).toContain('"tool_use_id":"' + call.id + '"');
  });

  it('count_tokens and models.list', async () => {
    const client = anthropicClient(fake());
    const count = await client.messages.countTokens({ model: ASK.model, messages: ASK.messages });
    expect(count.input_tokens).toBeGreaterThan(0);
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(['claude-fake-opus-4', 'claude-fake-haiku-4']);
    expect(fake().requests.map((r) => r.route)).toEqual(['anthropic.count_tokens', 'anthropic.models']);
  });

  it('an unknown key is AuthenticationError 401 with the request id of the log entry', async () => {
    const error = await rejection(anthropicClient(fake(), { apiKey: 'sk-wrong' }).messages.create(ASK));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, type: 'authentication_error', requestID: fake().requests[0]?.requestId });
    expect(fake().requests[0]?.keyIndex).toBe(-1);
  });

  it.each([
    [429, RateLimitError, 'rate_limit_error'],
    [401, AuthenticationError, 'authentication_error'],
    [500, InternalServerError, 'api_error'],
    [502, InternalServerError, 'api_error'],
    [503, ServiceUnavailableError, 'api_error'],
    [529, OverloadedError, 'overloaded_error'],
  ] as const)('fault %i becomes %s', async (status, errorClass, type) => {
    fake().faults.add({ status, retryAfter: 7 });
    const error = await rejection(anthropicClient(fake()).messages.create(ASK));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status, type });
    expect((error as APIError).headers?.get('retry-after')).toBe('7');
    // The fault was used up: the next request succeeds.
    await expect(anthropicClient(fake()).messages.create(ASK)).resolves.toMatchObject({ type: 'message' });
  });

  it('429 with retry-after: the SDK waits that long and retries', async () => {
    fake().faults.add({ status: 429, retryAfter: 1 });
    const message = await anthropicClient(fake(), { maxRetries: 1 }).messages.create(ASK);
    expect(message.type).toBe('message');
    const [first, second] = fake().requests;
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect((second?.timings.startedAt ?? 0) - (first?.timings.startedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a reset after 5 events (two text deltas) surfaces as a terminated stream', async () => {
    fake().script.set({ textEvents: 10 });
    fake().faults.add({ resetAfterEvents: 5 });
    const stream = anthropicClient(fake()).messages.stream(ASK);
    const deltas: string[] = [];
    stream.on('text', (text) => deltas.push(text));
    const error = await rejection(stream.finalMessage());
    expect((error as Error).message).toMatch(/terminated/);
    expect(deltas).toEqual(['w0 ', 'w1 ']);
    await fake().idle();
    expect(fake().requests[0]).toMatchObject({ reset: true, clientAborted: false, completed: false, eventsSent: 5 });
  });

  it('an in-stream error event becomes APIError overloaded_error', async () => {
    fake().faults.add({ streamErrorAfterEvents: 4 });
    const error = await rejection(anthropicClient(fake()).messages.stream(ASK).finalMessage());
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ type: 'overloaded_error' });
  });

  it('a reset before any byte is APIConnectionError', async () => {
    fake().faults.add({ resetAfterEvents: 0 });
    expect(await rejection(anthropicClient(fake()).messages.create(ASK))).toBeInstanceOf(APIConnectionError);
    expect(fake().requests[0]).toMatchObject({ status: 0, reset: true });
  });

  it('latency before headers trips the SDK timeout', async () => {
    fake().faults.add({ latencyMs: 400 });
    const error = await rejection(anthropicClient(fake()).messages.create(ASK, { timeout: 100 }));
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('the client aborting mid-stream is logged', async () => {
    fake().script.set({ textEvents: 40, eventDelayMs: 20 });
    const stream = anthropicClient(fake()).messages.stream(ASK);
    stream.on('text', () => stream.abort());
    expect(await rejection(stream.finalMessage())).toBeInstanceOf(APIUserAbortError);
    await fake().idle();
    const [seen] = fake().requests;
    expect(seen).toMatchObject({ clientAborted: true, reset: false, completed: false });
    expect(seen?.eventsSent).toBeLessThan(46);
  });
});
