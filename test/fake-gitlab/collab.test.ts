import { describe, expect, it } from 'vitest';
import { call, P7, useFakeGitLab } from './test-helpers.ts';

describe('fake gitlab: merge requests, notes, statuses, packages, group projects', () => {
  const fake = useFakeGitLab();

  it('serves a merge request with diff_refs, and notes that are created, listed and updated in place', async () => {
    const { iid } = await fake().hooks.openMergeRequest(7, { sourceBranch: 'feature/login', author: 'alice' });
    const mr = await call(fake(), `/api/v4/projects/${P7}/merge_requests/${iid}`, { token: 'alice-api-token' });
    const main = fake().state.project(7)!.repo.branches.get('main');
    expect(mr.json).toMatchObject({ iid, source_branch: 'feature/login', target_branch: 'main', diff_refs: { base_sha: main, start_sha: main, head_sha: fake().state.project(7)!.repo.branches.get('feature/login') } });

    const created = await call(fake(), `/api/v4/projects/7/merge_requests/${iid}/notes`, { token: 'alice-api-token', method: 'POST', body: { body: 'first' } });
    expect(created.status).toBe(201);
    const id = (created.json as { id: number }).id;
    expect(created.json).toMatchObject({ body: 'first', noteable_iid: iid, noteable_type: 'MergeRequest', author: { username: 'alice' } });
    const updated = await call(fake(), `/api/v4/projects/7/merge_requests/${iid}/notes/${id}`, { token: 'alice-api-token', method: 'PUT', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: undefined });
    expect(updated.status).toBe(400);
    const put = await fetch(`${fake().url}/api/v4/projects/7/merge_requests/${iid}/notes/${id}`, { method: 'PUT', headers: { 'PRIVATE-TOKEN': 'alice-api-token', 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'body=second' });
    expect(put.status).toBe(200);
    const list = await call(fake(), `/api/v4/projects/7/merge_requests/${iid}/notes?sort=asc`, { token: 'alice-api-token' });
    expect((list.json as { body: string }[]).map((n) => n.body)).toEqual(['second']);
    // Someone else may not edit alice's note.
    expect((await call(fake(), `/api/v4/projects/7/merge_requests/${iid}/notes/${id}`, { token: 'bob-api-token', method: 'PUT', body: { body: 'x' } })).status).toBe(403);
    expect((await call(fake(), `/api/v4/projects/7/merge_requests/999`, { token: 'alice-api-token' })).json).toEqual({ message: '404 Not found' });
  });

  it('records commit statuses for Developers and refuses Guests and bad states', async () => {
    const sha = fake().state.project(7)!.repo.branches.get('main')!;
    const ok = await call(fake(), `/api/v4/projects/7/statuses/${sha}`, { token: 'alice-api-token', method: 'POST', body: { state: 'success', name: 'aigate/policy', description: 'fine' } });
    expect(ok.status).toBe(201);
    expect(ok.json).toMatchObject({ sha, status: 'success', name: 'aigate/policy' });
    expect((await call(fake(), `/api/v4/projects/7/statuses/${sha}`, { token: 'bob-api-token', method: 'POST', body: { state: 'success' } })).status).toBe(403);
    expect((await call(fake(), `/api/v4/projects/7/statuses/${sha}`, { token: 'alice-api-token', method: 'POST', body: { state: 'great' } })).status).toBe(400);
    expect((await call(fake(), `/api/v4/projects/7/statuses/${'f'.repeat(40)}`, { token: 'alice-api-token', method: 'POST', body: { state: 'failed' } })).json).toEqual({ message: '404 Commit Not Found' });
    const listed = await call(fake(), `/api/v4/projects/7/repository/commits/${sha}/statuses`, { token: 'alice-api-token' });
    expect((listed.json as unknown[]).length).toBe(1);
  });

  it('stores generic packages and serves the newest file of a name', async () => {
    const put = (body: string) => fetch(`${fake().url}/api/v4/projects/7/packages/generic/aigate-bundle/current/bundle.json`, { method: 'PUT', headers: { 'PRIVATE-TOKEN': 'alice-api-token' }, body });
    expect((await put('one')).status).toBe(201);
    expect((await put('two')).status).toBe(201);
    const got = await call(fake(), '/api/v4/projects/7/packages/generic/aigate-bundle/current/bundle.json', { token: 'alice-api-token' });
    expect(got.text).toBe('two');
    expect((await call(fake(), '/api/v4/projects/7/packages/generic/aigate-bundle/9/bundle.json', { token: 'alice-api-token' })).status).toBe(404);
    expect((await call(fake(), '/api/v4/projects/7/packages/generic/aigate-bundle/current/~bad', { token: 'alice-api-token', method: 'PUT', body: 'x' })).status).toBe(400);
  });

  it('lists a group\'s projects with keyset pagination', async () => {
    const first = await call(fake(), '/api/v4/groups/acme/projects?include_subgroups=true&pagination=keyset&order_by=id&sort=asc&per_page=2&simple=true', { token: 'root-api-token' });
    const ids = (first.json as { id: number }[]).map((p) => p.id);
    expect(ids).toEqual([7, 8]);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toContain('id_after=8');
    const rest = await call(fake(), next!.slice(fake().url.length), { token: 'root-api-token' });
    expect((rest.json as { path_with_namespace: string }[]).every((p) => p.path_with_namespace.startsWith('acme/'))).toBe(true);
    expect((await call(fake(), '/api/v4/groups/nope/projects', { token: 'root-api-token' })).json).toEqual({ message: '404 Group Not Found' });
  });
});
