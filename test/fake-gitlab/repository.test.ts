import { describe, expect, it } from 'vitest';
import { call, P7, useFakeGitLab } from './test-helpers.ts';

const repo = (rest: string): string => `/api/v4/projects/${P7}/repository/${rest}`;
type Entry = { name: string; type: string; path: string; mode: string; id: string };

describe('fake gitlab: tree, compare, commits, branches', () => {
  const fake = useFakeGitLab();

  it('lists a tree: directories first, then files, with git modes', async () => {
    const res = await call(fake(), repo('tree'), { token: 'alice-api-token' });
    expect(res.status).toBe(200);
    expect((res.json as Entry[]).map((e) => `${e.type}:${e.path}:${e.mode}`)).toEqual([
      'tree:assets:040000', 'tree:docs:040000', 'tree:src:040000', 'blob:.aiconfig:100644', 'blob:README.md:100644', 'blob:config.py:100644',
    ]);
    expect(res.headers.get('x-total')).toBe('6');
  });

  it('lists a subdirectory, recursively, and pages', async () => {
    const sub = await call(fake(), repo('tree?path=docs&recursive=true'), { token: 'alice-api-token' });
    expect((sub.json as Entry[]).map((e) => e.path)).toEqual(['docs/architecture', 'docs/architecture/security-design.md']);
    const page = await call(fake(), repo('tree?recursive=true&per_page=4&page=2'), { token: 'alice-api-token' });
    expect((page.json as Entry[]).length).toBe(4);
    expect([page.headers.get('x-total'), page.headers.get('x-total-pages'), page.headers.get('x-next-page')]).toEqual(['10', '3', '3']);
  });

  it('answers 404 Tree Not Found for unknown refs and paths', async () => {
    for (const q of ['ref=nope', 'path=nope']) {
      const res = await call(fake(), repo(`tree?${q}`), { token: 'alice-api-token' });
      expect([res.status, res.json], q).toEqual([404, { message: '404 Tree Not Found' }]);
    }
  });

  it('compares the default branch with a feature branch', async () => {
    const res = await call(fake(), repo(`compare?from=main&to=${encodeURIComponent('feature/login')}`), { token: 'alice-api-token' });
    expect(res.status).toBe(200);
    const body = res.json as { commit: { id: string }; commits: { id: string }[]; diffs: Record<string, unknown>[]; compare_timeout: boolean; compare_same_ref: boolean };
    const head = fake().state.project(7)?.repo.branches.get('feature/login');
    expect(body.commit.id).toBe(head);
    expect(body.commits.map((c) => c.id)).toEqual([head]);
    expect([body.compare_timeout, body.compare_same_ref]).toEqual([false, false]);
    expect(body.diffs).toEqual([
      expect.objectContaining({ old_path: 'docs/architecture/security-design.md', new_path: 'docs/architecture/security-design.md', new_file: false, renamed_file: false, deleted_file: true, diff: '@@ -1 +0,0 @@\n-Internal only.\n' }),
      expect.objectContaining({ new_path: 'src/app.py', new_file: false, deleted_file: false, diff: '@@ -1,2 +1,2 @@\n def main():\n-    return "ok"\n+    return "login"\n' }),
      expect.objectContaining({ new_path: 'src/login.py', new_file: true, diff: '@@ -0,0 +1,2 @@\n+def login(user):\n+    return True\n' }),
    ]);
  });

  it('compares a ref with itself, reports renames, and validates parameters', async () => {
    const same = (await call(fake(), repo('compare?from=main&to=main'), { token: 'alice-api-token' })).json;
    expect(same).toMatchObject({ commit: null, commits: [], diffs: [], compare_same_ref: true });
    const base = fake().state.project(7)?.repo.branches.get('main');
    const c1 = fake().state.commitFiles(7, 'main', { 'README.md': null, 'README.rst': '# API Service\n' });
    const c2 = fake().state.commitFiles(7, 'main', { 'config.py': 'x = 1\n' });
    const moved = (await call(fake(), repo(`compare?from=${base}&to=main`), { token: 'alice-api-token' })).json as { commits: { id: string }[]; diffs: Record<string, unknown>[] };
    expect(moved.commits.map((c) => c.id)).toEqual([c1, c2]);
    expect(moved.diffs.find((d) => d.renamed_file)).toMatchObject({ old_path: 'README.md', new_path: 'README.rst', diff: '' });
    const missing = await call(fake(), repo('compare?from=main'), { token: 'alice-api-token' });
    expect([missing.status, missing.json]).toEqual([400, { error: 'to is missing' }]);
    expect((await call(fake(), repo('compare?from=main&to=nope'), { token: 'alice-api-token' })).json).toEqual({ message: '404 Ref Not Found' });
  });

  it('shows a commit by sha or branch', async () => {
    const head = fake().state.project(7)?.repo.branches.get('feature/login') ?? '';
    const res = await call(fake(), repo(`commits/${head.slice(0, 8)}`), { token: 'alice-api-token' });
    expect(res.json).toMatchObject({ id: head, short_id: head.slice(0, 8), title: 'Update feature/login', parent_ids: [fake().state.project(7)?.repo.branches.get('main')], stats: { additions: 3, deletions: 2, total: 5 } });
    expect((await call(fake(), repo('commits/0000000000'), { token: 'alice-api-token' })).json).toEqual({ message: '404 Commit Not Found' });
  });

  it('shows a branch', async () => {
    const res = await call(fake(), repo('branches/main'), { token: 'alice-api-token' });
    expect(res.json).toMatchObject({ name: 'main', default: true, commit: { id: fake().state.project(7)?.repo.branches.get('main') } });
    expect((await call(fake(), repo(`branches/${encodeURIComponent('feature/login')}`), { token: 'alice-api-token' })).json).toMatchObject({ name: 'feature/login', default: false });
    expect((await call(fake(), repo('branches/nope'), { token: 'alice-api-token' })).json).toEqual({ message: '404 Branch Not Found' });
  });
});
