import { describe, expect, it } from 'vitest';
import { discoverModels, providerOfModel } from './discover-models.ts';
import { createDuoModelRegistry } from './duo-model-registry.ts';

describe('discoverModels', () => {
  it('reads model_details, top-level names and model lists, de-duplicated case-insensitively', () => {
    const models = discoverModels({
      model_details: { model_provider: 'anthropic', model_name: 'claude-sonnet-4-5-20250929' },
      model_name: 'Claude-Sonnet-4-5-20250929',
      supported_models: [{ provider: 'openai', name: 'gpt-5-codex' }, 'gpt-5.1-2025-11-13', { models: ['codestral-2501'] }],
      discovered_models: { model_name: 'claude-haiku-4-5-20251001' },
    });
    expect(models).toEqual([
      { id: 'claude-sonnet-4-5-20250929', provider: 'anthropic' },
      { id: 'gpt-5-codex', provider: 'openai' },
      { id: 'gpt-5.1-2025-11-13', provider: 'openai' },
      { id: 'codestral-2501', provider: undefined },
      { id: 'claude-haiku-4-5-20251001', provider: 'anthropic' },
    ]);
  });

  it('ignores what is not a name', () => {
    expect(discoverModels({ model_details: { model_name: 42 }, models: [null, '', { name: 'x'.repeat(500) }] })).toEqual([]);
  });

  it('infers the family from the name only for claude / gpt / o-series / codex', () => {
    expect(providerOfModel('claude-3-7-sonnet-20250219')).toBe('anthropic');
    expect(providerOfModel('o3-mini')).toBe('openai');
    expect(providerOfModel('codestral-2501')).toBeUndefined();
    expect(providerOfModel('openchat')).toBeUndefined();
  });
});

describe('DuoModelRegistry', () => {
  it('routes discovered routable names to Duo and lists gitlab-duo first', () => {
    const registry = createDuoModelRegistry({ configured: ['claude-opus-4-5-20251101'] });
    const discovered = discoverModels({ model_details: { model_provider: 'openai', model_name: 'gpt-5-codex' }, models: ['codestral-2501'] });
    expect(registry.routesToDuo('gpt-5-codex')).toBe(false);
    registry.register(discovered);
    expect(registry.routesToDuo('GPT-5-codex')).toBe(true);
    expect(registry.routesToDuo('codestral-2501')).toBe(false);
    expect(registry.list(discovered).map((m) => m.id)).toEqual(['gitlab-duo', 'gpt-5-codex', 'claude-opus-4-5-20251101']);
  });

  it('stays bounded whatever GitLab sends', () => {
    const registry = createDuoModelRegistry({ maxNames: 3 });
    registry.register(Array.from({ length: 10 }, (_, i) => ({ id: `gpt-${i}`, provider: 'openai' as const })));
    expect(registry.routesToDuo('gpt-2')).toBe(true);
    expect(registry.routesToDuo('gpt-3')).toBe(false);
  });
});
