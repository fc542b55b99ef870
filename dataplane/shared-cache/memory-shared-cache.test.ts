import { describe, expect, it } from 'vitest';
import { createMemorySharedCache } from './memory-shared-cache.ts';

describe('memory shared cache', () => {
  it('returns what was set until its ttl runs out, counting hits and misses', async () => {
    let now = 1000;
    const cache = createMemorySharedCache({ now: () => now });
    await cache.set('token:ab12', { id: 7, username: 'alice' }, 500);
    expect(await cache.get('token:ab12')).toEqual({ id: 7, username: 'alice' });
    now += 499;
    expect(await cache.get('token:ab12')).toEqual({ id: 7, username: 'alice' });
    now += 1;
    expect(await cache.get('token:ab12')).toBeUndefined();
    expect(cache.stats()).toEqual({ hits: 2, misses: 1, errors: 0, lastError: null });
  });

  it('hands out copies: changing a value got from the cache does not change the cache', async () => {
    const cache = createMemorySharedCache();
    await cache.set('k', { access: 30 }, 1000);
    const got = await cache.get<{ access: number }>('k');
    (got as { access: number }).access = 50;
    expect(await cache.get('k')).toEqual({ access: 30 });
  });

  it('flushes by prefix and reports how many entries went', async () => {
    const cache = createMemorySharedCache();
    await cache.set('token:1', 1, 1000);
    await cache.set('token:2', 2, 1000);
    await cache.set('project:1', 3, 1000);
    expect(await cache.flush('token:')).toBe(2);
    expect(await cache.get('project:1')).toBe(3);
    expect(await cache.flush()).toBe(1);
    expect(cache.size).toBe(0);
  });

  it('stores nothing for a non-positive ttl, deletes, and stays within maxEntries', async () => {
    const cache = createMemorySharedCache({ maxEntries: 3 });
    await cache.set('a', 1, 0);
    expect(await cache.get('a')).toBeUndefined();
    for (const k of ['a', 'b', 'c', 'd']) await cache.set(k, k, 1000);
    expect(cache.size).toBe(3);
    expect(await cache.get('a')).toBeUndefined();
    await cache.delete('d');
    expect(await cache.get('d')).toBeUndefined();
    await expect(cache.set('f', () => 1, 1000)).rejects.toThrow(TypeError);
  });
});
