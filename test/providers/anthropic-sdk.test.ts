import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { SECRETS, TOKENS } from '../dataplane/fixtures.ts';
import { PROVIDER_KEYS, startProviderStack, type ProviderStack } from './provider-stack.ts';

const client = (stack: ProviderStack, options: { token?: string; repo?: string; maxRetries?: number } = {}) =>
  new Anthropic({
    baseURL: `${stack.dataplane.url}/anthropic`,
    apiKey: options.token ?? TOKENS.alice,
    maxRetries: options.maxRetries ?? 0,
    defaultHeaders: {
      'anthropic-beta': 'interleaved-thinking-2025-05-14',
      'PRIVATE-TOKEN': options.token ?? TOKENS.alice,
      'Proxy-Authorization': 'Basic c2VjcmV0',
      ...(options.repo === '' ? {} : { 'X-AI-Repo': options.repo ?? 'team/app' }),
    },
  });

/** Nothing a test used as a credential or a secret appears in the proxy's logs or audit records. */
async function expectNoLeaks(stack: ProviderStack) {
  const haystack = [...stack.logs, ...(await stack.records()).map((r) => JSON.stringify(r))].join('\n');
  for (const needle of [...Object.values(TOKENS), ...PROVIDER_KEYS, SECRETS.password, SECRETS.gitlabPat]) expect(haystack).not.toContain(needle);
}

describe('Anthropic SDK through aigate', () => {
  it('creates a message: the provider gets the provider key and a redacted body, never the GitLab token', async () => {
    const stack = await startProviderStack({ fake: { script: { text: 'Hi there.' } } });
    const message = await client(stack).messages.create({
      model: 'claude-fake-opus-4',
      max_tokens: 100,
      system: `config: password = ${SECRETS.password}`,
      messages: [{ role: 'user', content: `my token is ${SECRETS.gitlabPat}, keep it` }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Hi there.' });
    const seen = stack.provider.requests.at(-1)!;
    expect(seen.path).toBe('/v1/messages');
    expect(PROVIDER_KEYS as readonly string[]).toContain(seen.key);
    expect(seen.authScheme).toBe('x-api-key');
    const wire = JSON.stringify(seen.headers) + seen.bodyText;
    expect(wire).not.toContain(TOKENS.alice);
    expect(wire).not.toContain(SECRETS.password);
    expect(wire).not.toContain(SECRETS.gitlabPat);
    expect(seen.bodyText).toContain('password=REDACTED');
    expect(seen.headers['x-ai-repo']).toBeUndefined();
    // API headers pass through; credentials and hop-by-hop headers do not.
    expect(seen.headers['anthropic-version']).toBeDefined();
    expect(seen.headers['anthropic-beta']).toBe('interleaved-thinking-2025-05-14');
    expect(seen.headers['private-token']).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    const [record] = (await stack.records()).filter((r) => r.route === '/anthropic/v1/messages');
    expect(record).toMatchObject({ decision: 'allow', provider: 'anthropic', model: 'claude-fake-opus-4', stream: false, status: 200, upstream_status: 200, repo: { path: 'team/app' } });
    expect(record!.redactions['password-assignment']).toBe(1);
    expect(Object.keys(record!.redactions).some((id) => id.includes('gitlab'))).toBe(true);
    expect(record!.key_index).toBe(seen.keyIndex);
    await expectNoLeaks(stack);
  });

  it('streams: every event arrives, in order, and the final message is complete', async () => {
    const stack = await startProviderStack({ fake: { script: { textEvents: 50 } } });
    const stream = client(stack).messages.stream({ model: 'claude-fake-opus-4', max_tokens: 100, messages: [{ role: 'user', content: 'Say hi' }] });
    let deltas = 0;
    stream.on('text', () => void deltas++);
    const final = await stream.finalMessage();
    expect(deltas).toBe(50);
    expect(final.stop_reason).toBe('end_turn');
    const [record] = (await stack.records()).filter((r) => r.route === '/anthropic/v1/messages');
    expect(record).toMatchObject({ stream: true, status: 200, decision: 'allow' });
    expect(record!.latency_ms.ttfb).not.toBeNull();
  });

  it('round-trips a tool use and withholds the excluded file the agent read', async () => {
    const stack = await startProviderStack({ fake: { script: (req) => (JSON.stringify(req.json).includes('tool_result') ? { text: 'Done.' } : { text: '', toolCall: { readFile: '/home/alice/work/app/.env', id: 'toolu_read_env' } }) } });
    const anthropic = client(stack);
    const first = await anthropic.messages.create({ model: 'claude-fake-opus-4', max_tokens: 100, messages: [{ role: 'user', content: 'read .env' }] });
    const toolUse = first.content.find((b) => b.type === 'tool_use');
    expect(toolUse).toMatchObject({ name: 'Read', input: { file_path: '/home/alice/work/app/.env' } });
    const second = await anthropic.messages.create({
      model: 'claude-fake-opus-4',
      max_tokens: 100,
      messages: [
        { role: 'user', content: 'read .env' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse!.id, content: `1\tSECRET=${SECRETS.password}\n2\tDB=postgres` }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'Done.' });
    const seen = stack.provider.requests.at(-1)!;
    expect(seen.bodyText).not.toContain(SECRETS.password);
    expect(seen.bodyText).not.toContain('DB=postgres');
    expect(seen.bodyText).toContain('[aigate: the contents of home/alice/work/app/.env were withheld.');
    const records = (await stack.records()).filter((r) => r.route === '/anthropic/v1/messages');
    expect(records.map((r) => r.withheld_paths)).toEqual([[], ['home/alice/work/app/.env']]);
  });

  it('counts tokens and lists models through the provider prefix', async () => {
    const stack = await startProviderStack();
    const count = await client(stack).messages.countTokens({ model: 'claude-fake-opus-4', messages: [{ role: 'user', content: 'hello there' }] });
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(stack.provider.requests.at(-1)!.path).toBe('/v1/messages/count_tokens');
    const models = await client(stack).models.list();
    expect(models.data.map((m) => m.id)).toContain('claude-fake-opus-4');
  });

  it('fails over to the next key on a 429 before any byte reached the client', async () => {
    const stack = await startProviderStack({ fake: { faults: [{ status: 429, times: 1 }] } });
    const message = await client(stack).messages.create({ model: 'claude-fake-opus-4', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.type).toBe('message');
    const [refused, served] = stack.provider.requests;
    expect(refused!.status).toBe(429);
    expect(served!.status).toBe(200);
    expect(served!.keyIndex).not.toBe(refused!.keyIndex);
    const [record] = (await stack.records()).filter((r) => r.route === '/anthropic/v1/messages');
    expect(record).toMatchObject({ status: 200, key_index: served!.keyIndex });
  });

  it('passes the provider\'s own 429 through when every key is refused', async () => {
    const stack = await startProviderStack({ fake: { faults: [{ status: 429, times: 2, retryAfter: 7 }] } });
    const error = await client(stack).messages.create({ model: 'claude-fake-opus-4', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('7');
  });

  it('cancels the upstream request when the client aborts mid-stream', async () => {
    const stack = await startProviderStack({ fake: { script: { textEvents: 50, eventDelayMs: 40 } } });
    const stream = client(stack).messages.stream({ model: 'claude-fake-opus-4', max_tokens: 100, messages: [{ role: 'user', content: 'long' }] });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    stream.abort();
    await stream.done().catch(() => undefined);
    await stack.provider.idle();
    expect(stack.provider.requests.at(-1)!.clientAborted).toBe(true);
    expect(stack.provider.requests.at(-1)!.completed).toBe(false);
    await new Promise((r) => setTimeout(r, 50));
    const [record] = (await stack.records()).filter((r) => r.route === '/anthropic/v1/messages');
    expect(record).toMatchObject({ decision: 'error', reason: 'client_closed' });
  });

  it('surfaces an upstream reset mid-stream as an error, not a clean end', async () => {
    const stack = await startProviderStack({ fake: { faults: [{ resetAfterEvents: 4, match: { stream: true } }], script: { textEvents: 20 } } });
    const stream = client(stack).messages.stream({ model: 'claude-fake-opus-4', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] });
    await expect(stream.finalMessage()).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 50));
    const [record] = (await stack.records()).filter((r) => r.route === '/anthropic/v1/messages');
    expect(record).toMatchObject({ decision: 'error', reason: 'upstream_interrupted' });
  });

  it.each([
    ['no token', { token: '' }, Anthropic.AuthenticationError, 'auth_missing'],
    ['a revoked token', { token: 'glpat-NotAToken000000000000' }, Anthropic.AuthenticationError, 'auth_invalid'],
    ['a blocked repository', { repo: 'team/secrets-db' }, Anthropic.PermissionDeniedError, 'repo_blocked'],
    ['a provider the group does not allow', { repo: 'payments/api' }, Anthropic.PermissionDeniedError, 'provider_not_allowed'],
    ['a repository the user cannot see', { repo: 'ops/secret-project' }, Anthropic.PermissionDeniedError, 'repo_access_denied'],
    ['no X-AI-Repo when the org denies unscoped requests', { repo: '' }, Anthropic.PermissionDeniedError, 'repo_required'],
  ] as const)('denies %s in Anthropic\'s error format', async (_name, options, kind, code) => {
    const stack = await startProviderStack();
    const error = await client(stack, options).messages.create({ model: 'claude-fake-opus-4', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(kind);
    const body = (error as { error: { type: string; error: { type: string; message: string; code: string } } }).error;
    expect(body.type).toBe('error');
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(/^aigate: /);
    expect(stack.provider.requests).toHaveLength(0);
    await expectNoLeaks(stack);
  });

  it('answers HEAD on the base URL without credentials (Claude Code pre-connects)', async () => {
    const stack = await startProviderStack();
    expect((await stack.request('/anthropic', { method: 'HEAD' })).status).toBe(200);
    expect((await stack.request('/anthropic/v1/messages', { method: 'HEAD' })).status).toBe(405);
  });
});
