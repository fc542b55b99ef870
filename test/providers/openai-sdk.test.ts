import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { SECRETS, TOKENS } from '../dataplane/fixtures.ts';
import { startProviderStack, type ProviderStack } from './provider-stack.ts';

const client = (stack: ProviderStack, options: { repo?: string; prefix?: string } = {}) =>
  new OpenAI({ baseURL: `${stack.dataplane.url}${options.prefix ?? '/openai'}/v1`, apiKey: TOKENS.alice, maxRetries: 0, defaultHeaders: { 'X-AI-Repo': options.repo ?? 'oss/lib' } });

describe('OpenAI SDK through aigate', () => {
  it('chat completions, plain and streamed, with the body redacted and the Bearer replaced', async () => {
    const stack = await startProviderStack({ fake: { script: { text: 'one two three', textEvents: 3 } } });
    const openai = client(stack);
    const plain = await openai.chat.completions.create({ model: 'gpt-fake-5', messages: [{ role: 'user', content: `password = ${SECRETS.password}` }] });
    expect(plain.choices[0]!.message.content).toBe('one two three');
    const seen = stack.provider.requests.at(-1)!;
    expect(seen.authScheme).toBe('bearer');
    expect(seen.headers['authorization']).not.toContain(TOKENS.alice);
    expect(seen.bodyText).not.toContain(SECRETS.password);

    const stream = await openai.chat.completions.create({ model: 'gpt-fake-5', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hi' }] });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('one two three');
    const records = (await stack.records()).filter((r) => r.route === '/openai/v1/chat/completions');
    expect(records.map((r) => [r.stream, r.status, r.provider])).toEqual([[false, 200, 'openai'], [true, 200, 'openai']]);
  });

  it('withholds an excluded file read through a chat tool call (opencode\'s read with filePath)', async () => {
    const stack = await startProviderStack();
    await client(stack).chat.completions.create({
      model: 'gpt-fake-5',
      messages: [
        { role: 'user', content: 'read it' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read', arguments: JSON.stringify({ filePath: '/ws/lib/deploy.key' }) } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '<content>\n1: -----BEGIN KEY----- abc\n</content>' },
      ],
    });
    const seen = stack.provider.requests.at(-1)!;
    expect(seen.bodyText).not.toContain('BEGIN KEY');
    expect(seen.bodyText).toContain('withheld');
    const [record] = (await stack.records()).filter((r) => r.route === '/openai/v1/chat/completions');
    expect(record!.withheld_paths).toEqual(['ws/lib/deploy.key']);
  });

  it('responses API: streams to response.completed and withholds a `cat` of an excluded file (Codex)', async () => {
    const stack = await startProviderStack({ fake: { script: { text: 'ok', textEvents: 2 } } });
    const stream = await client(stack).responses.create({
      model: 'gpt-fake-5',
      stream: true,
      input: [
        { type: 'message', role: 'user', content: 'show env' },
        { type: 'function_call', call_id: 'call_9', name: 'exec_command', arguments: JSON.stringify({ cmd: 'cat /ws/lib/.env' }) },
        { type: 'function_call_output', call_id: 'call_9', output: `Output:\nSECRET=${SECRETS.password}\n` },
      ],
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
    expect(stack.provider.requests.at(-1)!.bodyText).not.toContain(SECRETS.password);
    const [record] = (await stack.records()).filter((r) => r.route === '/openai/v1/responses');
    expect(record!.withheld_paths).toEqual(['ws/lib/.env']);
  });

  it('routes plain /v1 requests by model, and lists only the models of allowed providers', async () => {
    const stack = await startProviderStack();
    const plain = client(stack, { prefix: '', repo: 'team/app' });
    // team/app allows anthropic and github only: no OpenAI model is listed, and a GPT request is refused.
    const models = await plain.models.list();
    expect(models.data.map((m) => m.id).sort()).toEqual(['claude-fake-haiku-4', 'claude-fake-opus-4']);
    const denied = await plain.chat.completions.create({ model: 'gpt-fake-5', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((denied as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('provider_not_allowed');
    expect((denied as Error).message).toMatch(/openai is not allowed for team\/app/);
    const open = client(stack, { prefix: '', repo: 'oss/lib' });
    expect((await open.models.list()).data.map((m) => m.id)).toContain('gpt-fake-5');
    await open.chat.completions.create({ model: 'gpt-fake-5', messages: [{ role: 'user', content: 'hi' }] });
    expect(stack.provider.requests.at(-1)!.path).toBe('/v1/chat/completions');
  });

  it('refuses a body above the limit with 413 in OpenAI\'s format, without forwarding it', async () => {
    const stack = await startProviderStack({ maxBodyBytes: 10_000 });
    const error = await client(stack).chat.completions.create({ model: 'gpt-fake-5', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(413);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('request_too_large');
    expect(stack.provider.requests).toHaveLength(0);
  });

  it('forwards Copilot and Codeium JSON with the same redaction and policy', async () => {
    const stack = await startProviderStack();
    const r = await stack.request('/copilot/chat/completions', { method: 'POST', token: TOKENS.alice, headers: { 'x-ai-repo': 'team/app', 'content-type': 'application/json' }, body: JSON.stringify({ prompt: `password = ${SECRETS.password}` }) });
    expect(r.status).toBe(200);
    expect(stack.provider.requests.at(-1)!.path).toBe('/chat/completions');
    expect(stack.provider.requests.at(-1)!.bodyText).not.toContain(SECRETS.password);
    // Codeium is disabled in the org policy.
    const c = await stack.request('/codeium/exa.api/GetCompletions', { method: 'POST', token: TOKENS.alice, headers: { 'x-ai-repo': 'oss/lib' }, body: '{}' });
    expect(c.status).toBe(403);
    expect(JSON.parse(c.text).error.code).toBe('provider_not_allowed');
  });
});
