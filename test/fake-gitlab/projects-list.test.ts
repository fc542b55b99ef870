import { describe, expect, it } from 'vitest';
import { call, useFakeGitLab } from './test-helpers.ts';

type Row = { id: number } & Record<string, unknown>;
const ids = (json: unknown): number[] => (json as Row[]).map((p) => p.id);

describe('fake gitlab: GET /projects', () => {
  const fake = useFakeGitLab();

  it('lists what the caller can see, newest first', async () => {
    expect(ids((await call(fake(), '/api/v4/projects', { token: 'erin-api-token' })).json)).toEqual([10, 9]);
    expect(ids((await call(fake(), '/api/v4/projects', { token: 'alice-api-token' })).json)).toEqual([14, 13, 12, 11, 10, 9, 7]);
    expect(ids((await call(fake(), '/api/v4/projects', { token: 'carol-api-token' })).json)).toEqual([10]);
    expect(ids((await call(fake(), '/api/v4/projects', { token: 'root-api-token', headers: {} })).json)).toHaveLength(8);
  });

  it('gives anonymous callers public projects in the simple shape', async () => {
    const res = await call(fake(), '/api/v4/projects');
    expect(ids(res.json)).toEqual([10]);
    expect((res.json as Row[])[0]).not.toHaveProperty('permissions');
  });

  it('simple=true drops archived, visibility and permissions', async () => {
    const [row] = (await call(fake(), '/api/v4/projects?simple=true', { token: 'alice-api-token' })).json as Row[];
    expect(row).toHaveProperty('path_with_namespace');
    for (const key of ['archived', 'visibility', 'permissions']) expect(row).not.toHaveProperty(key);
    const [full] = (await call(fake(), '/api/v4/projects', { token: 'alice-api-token' })).json as Row[];
    for (const key of ['archived', 'visibility', 'permissions']) expect(full).toHaveProperty(key);
  });

  it('filters by membership, min_access_level, archived, search and visibility', async () => {
    const q = async (query: string): Promise<number[]> => ids((await call(fake(), `/api/v4/projects?${query}`, { token: 'alice-api-token' })).json);
    expect(await q('membership=true')).toEqual([14, 13, 12, 11, 7]);
    expect(await q('min_access_level=40')).toEqual([13]);
    expect(await q('archived=true')).toEqual([12]);
    expect(await q('archived=false&membership=true')).toEqual([14, 13, 11, 7]);
    expect(await q('search=BILL')).toEqual([11]);
    expect(await q('visibility=internal')).toEqual([9]);
    expect(await q('order_by=id&sort=asc')).toEqual([7, 9, 10, 11, 12, 13, 14]);
    expect(await q('order_by=path&sort=asc')).toEqual([7, 11, 14, 9, 12, 13, 10]);
    expect((await call(fake(), '/api/v4/projects?order_by=nope', { token: 'alice-api-token' })).status).toBe(400);
  });

  it('paginates by offset with Link and X-* headers', async () => {
    const first = await call(fake(), '/api/v4/projects?per_page=3&order_by=id&sort=asc', { token: 'root-api-token' });
    const base = `${fake().url}/api/v4/projects?per_page=3&order_by=id&sort=asc`;
    expect(ids(first.json)).toEqual([7, 8, 9]);
    expect(Object.fromEntries(['x-page', 'x-per-page', 'x-next-page', 'x-prev-page', 'x-total', 'x-total-pages'].map((h) => [h, first.headers.get(h)]))).toEqual({
      'x-page': '1', 'x-per-page': '3', 'x-next-page': '2', 'x-prev-page': '', 'x-total': '8', 'x-total-pages': '3',
    });
    expect(first.headers.get('link')).toBe(`<${base}&page=2>; rel="next", <${base}&page=1>; rel="first", <${base}&page=3>; rel="last"`);
    const last = await call(fake(), '/api/v4/projects?per_page=3&order_by=id&sort=asc&page=3', { token: 'root-api-token' });
    expect(ids(last.json)).toEqual([13, 14]);
    expect([last.headers.get('x-next-page'), last.headers.get('x-prev-page')]).toEqual(['', '2']);
    expect(last.headers.get('link')).not.toContain('rel="next"');
    expect(last.headers.get('link')).toContain('rel="prev"');
  });

  it('clamps per_page to 100 and rejects non-integers', async () => {
    expect((await call(fake(), '/api/v4/projects?per_page=500', { token: 'root-api-token' })).headers.get('x-per-page')).toBe('100');
    const bad = await call(fake(), '/api/v4/projects?page=abc', { token: 'root-api-token' });
    expect([bad.status, bad.json]).toEqual([400, { error: 'page is invalid' }]);
  });

  it('paginates by keyset: only Link rel="next" with id_after, none on the last page', async () => {
    let url: string | undefined = `${fake().url}/api/v4/projects?pagination=keyset&per_page=3&order_by=id&sort=asc`;
    const seen: number[] = [];
    const links: (string | null)[] = [];
    while (url) {
      const res: Response = await fetch(url, { headers: { 'PRIVATE-TOKEN': 'root-api-token' } });
      expect(res.headers.get('x-total')).toBeNull();
      expect(res.headers.get('x-next-page')).toBeNull();
      seen.push(...ids(await res.json()));
      const link = res.headers.get('link');
      links.push(link);
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
    }
    expect(seen).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
    expect(links[0]).toBe(`<${fake().url}/api/v4/projects?pagination=keyset&per_page=3&order_by=id&sort=asc&id_after=9>; rel="next"`);
    expect(links).toHaveLength(3);
    expect(links[2]).toBeNull();
  });

  it('refuses keyset pagination for other orderings', async () => {
    const res = await call(fake(), '/api/v4/projects?pagination=keyset&order_by=name', { token: 'root-api-token' });
    expect(res.status).toBe(405);
  });
});
