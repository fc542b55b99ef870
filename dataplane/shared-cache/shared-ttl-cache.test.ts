import { describe, expect, it } from 'vitest';
import { createMemorySharedCache } from './memory-shared-cache.ts';
import { createSharedTtlCache } from './shared-ttl-cache.ts';

describe('TtlCache over a SharedCache', () => {
  it('loads once per key for concurrent misses, then answers from the shared store', async () => {
    const shared = createMemorySharedCache();
    const a = createSharedTtlCache<{ ok: boolean; id: number }>(shared, 'token:');
    const b = createSharedTtlCache<{ ok: boolean; id: number }>(shared, 'token:');
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return { ok: true, id: 7 };
    };
    const first = await Promise.all([a.getOrLoad('h1', load, () => 60_000), a.getOrLoad('h1', load, () => 60_000)]);
    expect(first.map((r) => r.hit)).toEqual([false, false]);
    expect(loads).toBe(1);
    // Another replica (another TtlCache on the same store) gets the entry without loading.
    expect(await b.getOrLoad('h1', load, () => 60_000)).toEqual({ value: { ok: true, id: 7 }, hit: true });
    expect(loads).toBe(1);
    expect(b.stats).toEqual({ hits: 1, misses: 0 });
  });

  it('does not store values whose ttl is 0, caches falsy values, and clears only its namespace', async () => {
    const shared = createMemorySharedCache();
    const c = createSharedTtlCache<number | null>(shared, 'project:');
    await shared.set('token:x', 1, 60_000);
    await c.getOrLoad('p', async () => 5, () => 0);
    expect((await c.getOrLoad('p', async () => 6, () => 60_000)).value).toBe(6);
    await c.getOrLoad('n', async () => null, () => 60_000);
    expect(await c.getOrLoad('n', async () => 1, () => 60_000)).toEqual({ value: null, hit: true });
    c.clear();
    await new Promise((r) => setTimeout(r, 0));
    expect(await shared.get('project:p')).toBeUndefined();
    expect(await shared.get('token:x')).toBe(1);
  });
});
