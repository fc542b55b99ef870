import { describe, expect, it } from 'vitest';
import { DuoError } from './duo-error.ts';
import { DEFAULT_DUO_MODELS, DUO_ALIASES, duoRoute, isDuoModelName } from './duo-models.ts';

describe('duoRoute', () => {
  it('sends each client API to its gateway path', () => {
    expect(duoRoute('claude-sonnet-4-5-20250929', 'anthropic-messages')).toEqual({ provider: 'anthropic', gatewayPath: '/v1/proxy/anthropic/v1/messages', upstreamModel: 'claude-sonnet-4-5-20250929' });
    expect(duoRoute('claude-sonnet-4-5-20250929', 'anthropic-messages', { beta: true }).gatewayPath).toBe('/v1/proxy/anthropic/v1/messages?beta=true');
    expect(duoRoute('claude-haiku-4-5-20251001', 'anthropic-count-tokens').gatewayPath).toBe('/v1/proxy/anthropic/v1/messages/count_tokens?beta=true');
    expect(duoRoute('gpt-5-codex', 'openai-responses').gatewayPath).toBe('/v1/proxy/openai/v1/responses');
    expect(duoRoute('gpt-5.1-2025-11-13', 'openai-chat').gatewayPath).toBe('/v1/proxy/openai/v1/chat/completions');
  });

  it('translates GitLab client aliases to gateway model names, case-insensitively', () => {
    expect(duoRoute('duo-chat-sonnet-4-5', 'anthropic-messages').upstreamModel).toBe('claude-sonnet-4-5-20250929');
    expect(duoRoute('Duo-Chat-GPT-5-1', 'openai-chat').upstreamModel).toBe('gpt-5.1-2025-11-13');
    expect(duoRoute('duo-chat-gpt-5-codex', 'openai-responses').upstreamModel).toBe('gpt-5-codex');
    for (const [alias, { model }] of Object.entries(DUO_ALIASES)) expect(duoRoute(alias, model.startsWith('claude') ? 'anthropic-messages' : 'openai-responses').upstreamModel).toBe(model);
  });

  it('lets configured aliases override and extend the table', () => {
    const aliases = { 'duo-chat-sonnet-4-5': 'claude-sonnet-4-5', 'Team-Default': 'gpt-5' };
    expect(duoRoute('duo-chat-sonnet-4-5', 'anthropic-messages', { aliases }).upstreamModel).toBe('claude-sonnet-4-5');
    expect(duoRoute('team-default', 'openai-chat', { aliases }).upstreamModel).toBe('gpt-5');
  });

  it('resolves gitlab-duo to the first discovered model of the client\'s family, else the default', () => {
    const discovered = [
      { id: 'codestral-2501', provider: undefined },
      { id: 'gpt-5-codex', provider: 'openai' as const },
      { id: 'claude-opus-4-5-20251101', provider: 'anthropic' as const },
    ];
    expect(duoRoute('gitlab-duo', 'anthropic-messages', { discovered }).upstreamModel).toBe('claude-opus-4-5-20251101');
    expect(duoRoute('gitlab-duo', 'openai-responses', { discovered }).upstreamModel).toBe('gpt-5-codex');
    expect(duoRoute(undefined, 'openai-chat').upstreamModel).toBe(DEFAULT_DUO_MODELS.openai);
    expect(duoRoute('GitLab-Duo', 'anthropic-messages', { defaults: { anthropic: 'claude-x', openai: 'gpt-x' } }).upstreamModel).toBe('claude-x');
  });

  it('drops a trailing "(…)" hint some clients append', () => {
    expect(duoRoute('claude-sonnet-4-5-20250929(high)', 'anthropic-messages').upstreamModel).toBe('claude-sonnet-4-5-20250929');
  });

  it('refuses a model of the other family, naming the route that serves it', () => {
    expect(() => duoRoute('gpt-5-codex', 'anthropic-messages')).toThrow(/\/gitlab-duo\/v1\/chat\/completions/);
    expect(() => duoRoute('duo-chat-opus-4-5', 'openai-chat')).toThrow(/\/gitlab-duo\/v1\/messages/);
    try {
      duoRoute('codestral-2501', 'openai-chat');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DuoError);
      expect((error as DuoError).code).toBe('duo_model_unsupported');
    }
  });

  it('routes an unknown-by-name model when discovery says who serves it', () => {
    expect(duoRoute('sonnet-custom', 'anthropic-messages', { discovered: [{ id: 'sonnet-custom', provider: 'anthropic' }] }).provider).toBe('anthropic');
  });
});

describe('isDuoModelName', () => {
  it('knows gitlab-duo, built-in and configured aliases, and nothing else', () => {
    expect(isDuoModelName('gitlab-duo')).toBe(true);
    expect(isDuoModelName('duo-chat-haiku-4-5')).toBe(true);
    expect(isDuoModelName('my-alias', { 'My-Alias': 'gpt-5' })).toBe(true);
    expect(isDuoModelName('claude-sonnet-4-5-20250929')).toBe(false);
  });
});
