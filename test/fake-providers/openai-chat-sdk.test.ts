import { APIConnectionError, APIError, AuthenticationError, BadRequestError, InternalServerError, RateLimitError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { KEYS, openaiClient, rejection, useFakeProvider } from './test-helpers.ts';

const ASK = { model: 'gpt-fake-5', messages: [{ role: 'user' as const, content: 'Say hi' }] };

describe('fake openai provider: chat completions through the openai SDK', () => {
  const fake = useFakeProvider();

  it('non-streaming completion: content, finish reason, usage; Bearer key in the log', async () => {
    fake().script.set({ text: 'Hi there.' });
    const completion = await openaiClient(fake()).chat.completions.create(ASK);
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hi there.' } });
    expect(completion.usage?.total_tokens).toBe((completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0));
    expect(fake().requests[0]).toMatchObject({ path: '/v1/chat/completions', route: 'openai.chat', flavour: 'openai', authScheme: 'bearer', key: KEYS[0], keyIndex: 0, json: ASK });
  });

  it('create({stream: true}) with include_usage: role chunk, 50 content deltas, finish chunk, usage chunk', async () => {
    fake().script.set({ textEvents: 50 });
    const stream = await openaiClient(fake()).chat.completions.create({ ...ASK, stream: true, stream_options: { include_usage: true } });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks).toHaveLength(53);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    // 53 chunks + data: [DONE]
    expect(fake().requests[0]?.eventsSent).toBe(54);
  });

  it('without include_usage there is no usage chunk and no usage field', async () => {
    const stream = await openaiClient(fake()).chat.completions.create({ ...ASK, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length === 1 && !('usage' in c))).toBe(true);
  });

  it('chat.completions.stream() accumulates content and a streamed tool call (read, filePath)', async () => {
    fake().script.set({ text: 'Reading.', toolCall: { readFile: '/ws/app/.env', id: 'call_fixed', argumentEvents: 4 } });
    const runner = openaiClient(fake()).chat.completions.stream({ ...ASK, stream_options: { include_usage: true } });
    const final = await runner.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Reading.');
    expect(choice?.message.tool_calls).toEqual([{ id: 'call_fixed', type: 'function', function: { name: 'read', arguments: '{"filePath":"/ws/app/.env"}' } }]);
  });

  it('non-streaming tool call: content null, tool_calls with JSON arguments', async () => {
    fake().script.set({ toolCall: { readFile: '/ws/a b/.env', name: 'read_file' } });
    const completion = await openaiClient(fake()).chat.completions.create(ASK);
    const message = completion.choices[0]?.message;
    expect(message?.content).toBeNull();
    const call = message?.tool_calls?.[0];
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ filePath: '/ws/a b/.env' });
    expect(call?.type === 'function' && call.function.name).toBe('read_file');
  });

  it('models.list', async () => {
    const ids: string[] = [];
    for await (const model of openaiClient(fake()).models.list()) ids.push(model.id);
    expect(ids).toEqual(['gpt-fake-5', 'gpt-fake-5-mini']);
    expect(fake().requests[0]?.route).toBe('openai.models');
  });

  it('an unknown key is AuthenticationError with code invalid_api_key and the x-request-id', async () => {
    const error = await rejection(openaiClient(fake(), { apiKey: 'sk-wrong' }).chat.completions.create(ASK));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', requestID: fake().requests[0]?.requestId });
  });

  it('a body without model is BadRequestError', async () => {
    const error = await rejection(openaiClient(fake()).chat.completions.create({ messages: ASK.messages } as unknown as typeof ASK));
    expect(error).toBeInstanceOf(BadRequestError);
  });

  it.each([
    [429, RateLimitError],
    [500, InternalServerError],
    [502, InternalServerError],
    [503, InternalServerError],
  ] as const)('fault %i becomes %s', async (status, errorClass) => {
    fake().faults.add({ status, match: { route: 'openai.chat' } });
    const error = await rejection(openaiClient(fake()).chat.completions.create(ASK));
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toMatchObject({ status });
  });

  it('429 with retry-after: the SDK waits that long and retries', async () => {
    fake().faults.add({ status: 429, retryAfter: 1 });
    const completion = await openaiClient(fake(), { maxRetries: 1 }).chat.completions.create(ASK);
    expect(completion.object).toBe('chat.completion');
    const [first, second] = fake().requests;
    expect([first?.status, second?.status]).toEqual([429, 200]);
    expect((second?.timings.startedAt ?? 0) - (first?.timings.startedAt ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a reset mid-stream ends iteration with an error after the first chunks', async () => {
    fake().script.set({ textEvents: 10 });
    fake().faults.add({ resetAfterEvents: 3 });
    const stream = await openaiClient(fake()).chat.completions.create({ ...ASK, stream: true });
    const contents: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect((error as Error).message).toMatch(/terminated/);
    expect(contents).toEqual(['', 'w0 ', 'w1 ']);
  });

  it('a reset before any byte is APIConnectionError', async () => {
    fake().faults.add({ resetAfterEvents: 0 });
    expect(await rejection(openaiClient(fake()).chat.completions.create(ASK))).toBeInstanceOf(APIConnectionError);
  });

  it('an in-stream error object becomes APIError', async () => {
    fake().faults.add({ streamErrorAfterEvents: 2 });
    const stream = await openaiClient(fake()).chat.completions.create({ ...ASK, stream: true });
    const error = await rejection(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    );
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ type: 'server_error' });
  });

  it('the client aborting mid-stream is logged', async () => {
    fake().script.set({ textEvents: 40, eventDelayMs: 20 });
    const controller = new AbortController();
    const stream = await openaiClient(fake()).chat.completions.create({ ...ASK, stream: true }, { signal: controller.signal });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) controller.abort();
    }
    await fake().idle();
    expect(fake().requests[0]).toMatchObject({ clientAborted: true, reset: false, completed: false });
    expect(fake().requests[0]?.eventsSent).toBeLessThan(43);
  });
});
