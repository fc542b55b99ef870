import { APIError, APIUserAbortError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { openaiClient, rejection, useFakeProvider } from './test-helpers.ts';

const ASK = { model: 'gpt-fake-5', input: 'Say hi' };

describe('fake openai provider: responses through the openai SDK', () => {
  const fake = useFakeProvider();

  it('non-streaming response: a completed message item; the SDK derives output_text', async () => {
    fake().script.set({ text: 'Hi there.' });
    const response = await openaiClient(fake()).responses.create(ASK);
    expect(response).toMatchObject({ object: 'response', status: 'completed', model: ASK.model, output_text: 'Hi there.' });
    expect(response.output).toMatchObject([{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hi there.' }] }]);
    expect(response.usage?.total_tokens).toBeGreaterThan(0);
    expect(fake().requests[0]).toMatchObject({ path: '/v1/responses', route: 'openai.responses', stream: false, json: ASK });
  });

  it('create({stream: true}) yields the real event types in order, with sequence numbers', async () => {
    fake().script.set({ text: 'abc', textEvents: 3 });
    const stream = await openaiClient(fake()).responses.create({ ...ASK, stream: true });
    const events: { type: string; sequence_number: number }[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it('responses.stream(): 50 text deltas and finalResponse()', async () => {
    fake().script.set({ textEvents: 50 });
    const stream = openaiClient(fake()).responses.stream(ASK);
    let deltas = 0;
    stream.on('response.output_text.delta', () => deltas++);
    const response = await stream.finalResponse();
    expect(deltas).toBe(50);
    expect(response.output_text).toBe(Array.from({ length: 50 }, (_, i) => `w${i} `).join(''));
    expect(response.status).toBe('completed');
  });

  it('a scripted function_call: exec_command with cmd "cat <path>", streamed as argument deltas', async () => {
    fake().script.set({ text: 'Reading.', toolCall: { readFile: '/ws/app/.env', id: 'call_fixed' } });
    const stream = openaiClient(fake()).responses.stream(ASK);
    const argumentDeltas: string[] = [];
    stream.on('response.function_call_arguments.delta', (event) => argumentDeltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(argumentDeltas.join('')).toBe('{"cmd":"cat /ws/app/.env"}');
    expect(response.output).toMatchObject([
      { type: 'message', content: [{ type: 'output_text', text: 'Reading.' }] },
      { type: 'function_call', name: 'exec_command', call_id: 'call_fixed', arguments: '{"cmd":"cat /ws/app/.env"}', status: 'completed' },
    ]);
    expect(response.output[1]?.id).toMatch(/^fc_/);
  });

  it('non-streaming function_call only: no message item; paths with spaces are shell-quoted', async () => {
    fake().script.set({ toolCall: { readFile: "/ws/it's here/.env" } });
    const response = await openaiClient(fake()).responses.create(ASK);
    expect(response.output).toHaveLength(1);
    const call = response.output[0];
    expect(call?.type === 'function_call' && JSON.parse(call.arguments)).toEqual({ cmd: "cat '/ws/it'\\''s here/.env'" });
  });

  it('scripted replies queue: next() answers the next requests, then the default', async () => {
    const client = openaiClient(fake());
    fake().script.next({ text: 'first' });
    fake().script.next({ text: 'second' });
    const texts = [];
    for (let i = 0; i < 3; i++) texts.push((await client.responses.create(ASK)).output_text);
    expect(texts).toEqual(['first', 'second', 'Hello from the fake provider.']);
  });

  it('429 on responses is RateLimitError', async () => {
    fake().faults.add({ status: 429, match: { route: 'openai.responses' } });
    expect(await rejection(openaiClient(fake()).responses.create(ASK))).toBeInstanceOf(RateLimitError);
  });

  it('a reset mid-stream rejects finalResponse()', async () => {
    fake().faults.add({ resetAfterEvents: 5 });
    const error = await rejection(openaiClient(fake()).responses.stream(ASK).finalResponse());
    expect((error as Error).message).toMatch(/terminated/);
  });

  it('an in-stream error event becomes APIError', async () => {
    fake().faults.add({ streamErrorAfterEvents: 3 });
    const error = await rejection(openaiClient(fake()).responses.stream(ASK).finalResponse());
    expect(error).toBeInstanceOf(APIError);
    expect((error as Error).message).toContain('The server had an error');
  });

  it('the client aborting mid-stream is logged', async () => {
    fake().script.set({ textEvents: 40, eventDelayMs: 20 });
    const stream = openaiClient(fake()).responses.stream(ASK);
    stream.on('response.output_text.delta', () => stream.abort());
    expect(await rejection(stream.finalResponse())).toBeInstanceOf(APIUserAbortError);
    await fake().idle();
    expect(fake().requests[0]).toMatchObject({ clientAborted: true, completed: false });
  });
});
