import { describe, expect, it } from 'vitest';
import { isBasePath, matchProviderRoute } from './route-table.ts';

describe('matchProviderRoute', () => {
  it('maps prefixed, plain and pass-through routes', () => {
    expect(matchProviderRoute('/anthropic/v1/messages')).toMatchObject({ api: 'anthropic-messages', provider: 'anthropic', upstreamPath: '/v1/messages', errorFormat: 'anthropic' });
    expect(matchProviderRoute('/anthropic/v1/messages/count_tokens')).toMatchObject({ api: 'anthropic-count-tokens' });
    expect(matchProviderRoute('/openai/v1/responses')).toMatchObject({ api: 'openai-responses', provider: 'openai', errorFormat: 'openai' });
    expect(matchProviderRoute('/v1/chat/completions')).toMatchObject({ api: 'openai-chat', provider: undefined });
    expect(matchProviderRoute('/anthropic/v1/models')).toMatchObject({ api: 'models', method: 'GET', errorFormat: 'anthropic' });
    expect(matchProviderRoute('/copilot/chat/completions')).toMatchObject({ api: 'passthrough', provider: 'github', upstreamPath: '/chat/completions' });
    expect(matchProviderRoute('/codeium/exa.api/GetCompletions')).toMatchObject({ provider: 'codeium' });
  });

  it('refuses unknown paths and dot segments on pass-through routes', () => {
    for (const path of ['/anthropic/v1/other', '/github/v1/messages', '/copilot/../admin', '/copilot/a/%2e%2e/b', '/copilot/', '/__proto__/v1/messages', '/constructor/x']) expect(matchProviderRoute(path), path).toBeUndefined();
  });

  it('knows the base paths clients pre-connect to', () => {
    expect(isBasePath('/')).toBe(true);
    expect(isBasePath('/anthropic/')).toBe(true);
    expect(isBasePath('/anthropic/v1/messages')).toBe(false);
  });
});
