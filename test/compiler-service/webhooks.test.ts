import { describe, expect, it } from 'vitest';
import { NOTE_MARKER } from '../../compiler/service/mr-note.ts';
import { COMPILER_TOKEN, postHook, startServiceFixture, WEBHOOK_TOKEN, WEBHOOK_TOKEN_NEXT } from './service-fixture.ts';

const hookUrl = (url: string) => `${url}/hooks/gitlab`;
const LOOSER = 'ai_access:\n  enabled: true\n  allowed_providers: [anthropic, github, openai]\n';

describe('compiler service webhooks', () => {
  it('refuses a wrong or missing token without queueing anything, accepts every configured token, never logs them', async () => {
    const { service, logs, payload } = await startServiceFixture();
    const serial = payload().serial;
    const push = { object_kind: 'push', project_id: 10, ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40), total_commits_count: 0, commits: [], project: { path_with_namespace: 'team/app', default_branch: 'main' } };
    expect(await postHook(service, 'Push Hook', push, { 'x-gitlab-token': 'whsec-guess' })).toMatchObject({ status: 401, json: { error: { code: 'webhook_token_invalid' } } });
    expect((await postHook(service, 'Push Hook', push)).status).toBe(401);
    // A body that is not even JSON is refused on the token before it is parsed.
    const raw = await fetch(hookUrl(service.url), { method: 'POST', headers: { 'x-gitlab-token': 'nope' }, body: '{not json' });
    expect(raw.status).toBe(401);
    expect(service.queue.size).toBe(0);
    for (const token of [WEBHOOK_TOKEN, WEBHOOK_TOKEN_NEXT]) expect((await postHook(service, 'Push Hook', push, { 'x-gitlab-token': token })).status).toBe(202);
    await service.queue.idle();
    // The push listed no .aiconfig change: nothing was recompiled.
    expect(payload().serial).toBe(serial);
    const all = logs.join('');
    for (const secret of [WEBHOOK_TOKEN, WEBHOOK_TOKEN_NEXT, COMPILER_TOKEN, 'whsec-guess']) expect(all).not.toContain(secret);
  });

  it('drops a redelivered event (same Idempotency-Key), also after a restart', async () => {
    const fixture = await startServiceFixture();
    const { gitlab, service } = fixture;
    gitlab.hooks.addProjectHook('team/app', { url: hookUrl(service.url), token: WEBHOOK_TOKEN });
    const push = await gitlab.hooks.push('team/app', 'main', [{ files: { '.aiconfig': LOOSER } }]);
    expect(push.deliveries[0]?.status).toBe(202);
    await service.queue.idle();
    const serial = fixture.payload().serial;
    const again = await gitlab.hooks.redeliver(push.deliveries[0]!.id);
    expect(again).toMatchObject({ status: 200 });
    expect(JSON.parse(again.responseBody ?? '{}')).toEqual({ status: 'duplicate' });
    await service.queue.idle();
    expect(fixture.payload().serial).toBe(serial);

    await service.dedupe.flush();
    const restarted = await fixture.restart();
    const original = push.deliveries[0]!;
    const afterRestart = await postHook(restarted.service, 'Push Hook', original.payload, { 'x-gitlab-token': WEBHOOK_TOKEN, 'idempotency-key': original.idempotencyKey });
    expect(afterRestart).toEqual({ status: 200, json: { status: 'duplicate' } });
  });

  it('answers fast and finds a .aiconfig change beyond the 20 commits a push hook lists (compare API)', async () => {
    const fixture = await startServiceFixture();
    const { gitlab, service } = fixture;
    gitlab.hooks.addProjectHook('team/app', { url: hookUrl(service.url), token: WEBHOOK_TOKEN });
    const before = fixture.payload();
    gitlab.resetRequests();
    const commits = [{ files: { '.aiconfig': LOOSER }, message: 'open up' }, ...Array.from({ length: 24 }, (_, i) => ({ files: { [`notes/${i}.md`]: `${i}\n` } }))];
    const push = await gitlab.hooks.push('team/app', 'main', commits);
    const delivery = push.deliveries[0]!;
    expect((delivery.payload as { commits: unknown[] }).commits).toHaveLength(20);
    expect(delivery.status).toBe(202);
    expect(delivery.durationMs).toBeLessThan(1000);
    await service.queue.idle();
    const after = fixture.payload();
    expect(after.serial).toBeGreaterThan(before.serial);
    expect(after.projects['10']?.providers).toEqual(['anthropic', 'openai', 'github']);
    expect(gitlab.requests.some((r) => r.path === '/api/v4/projects/10/repository/compare' && r.query.from === push.before)).toBe(true);
  });

  it('blocks a project at once when a system hook reports a rename into a blocked namespace', async () => {
    const fixture = await startServiceFixture();
    const { gitlab, service } = fixture;
    gitlab.hooks.addSystemHook({ url: hookUrl(service.url), token: WEBHOOK_TOKEN });
    expect(fixture.payload().projects['10']).toMatchObject({ path: 'team/app', state: 'active' });
    gitlab.resetRequests();
    const sent = await gitlab.hooks.transferProject('team/app', 'compliance');
    expect(sent[0]?.status).toBe(202);
    await service.queue.idle();
    expect(fixture.payload().projects['10']).toMatchObject({ path: 'compliance/app', state: 'blocked', reason: 'repo_blocked' });
    // No GitLab call was needed: the hook says where the project went.
    expect(gitlab.requests).toEqual([]);
    await gitlab.hooks.destroyProject(10);
    await service.queue.idle();
    expect(fixture.payload().projects['10']).toBeUndefined();
  });

  it('keeps one merge request note, updated in place, and sets the aigate/policy status', async () => {
    const fixture = await startServiceFixture();
    const { gitlab, service } = fixture;
    gitlab.hooks.addProjectHook('team/app', { url: hookUrl(service.url), token: WEBHOOK_TOKEN });
    await gitlab.hooks.push('team/app', 'widen', [{ files: { '.aiconfig': LOOSER } }]);
    const { iid, deliveries } = await gitlab.hooks.openMergeRequest('team/app', { sourceBranch: 'widen', author: 'alice' });
    expect(deliveries[0]?.status).toBe(202);
    await service.queue.idle();
    const listNotes = async () => (await (await fetch(`${gitlab.url}/api/v4/projects/10/merge_requests/${iid}/notes?sort=asc`, { headers: { 'PRIVATE-TOKEN': COMPILER_TOKEN } })).json()) as { id: number; body: string }[];
    const first = await listNotes();
    expect(first).toHaveLength(1);
    expect(first[0]!.body.startsWith(NOTE_MARKER)).toBe(true);
    expect(first[0]!.body).toContain('loosens');
    expect(first[0]!.body).toContain('openai');

    const oldrev = gitlab.state.project(10)!.repo.branches.get('widen');
    const broken = await gitlab.hooks.push('team/app', 'widen', [{ files: { '.aiconfig': 'ai_access:\n  enabled: maybe\n' } }]);
    await gitlab.hooks.updateMergeRequest('team/app', iid, 'update', { oldrev: oldrev! });
    await service.queue.idle();
    const second = await listNotes();
    expect(second).toHaveLength(1);
    expect(second[0]!.id).toBe(first[0]!.id);
    expect(second[0]!.body).toContain('invalid');

    const statuses = (await (await fetch(`${gitlab.url}/api/v4/projects/10/repository/commits/${broken.after}/statuses`, { headers: { 'PRIVATE-TOKEN': COMPILER_TOKEN } })).json()) as { name: string; status: string }[];
    expect(statuses).toMatchObject([{ name: 'aigate/policy', status: 'failed' }]);

    // An update without new commits (title edit) and an MR that does not touch .aiconfig post nothing.
    await gitlab.hooks.updateMergeRequest('team/app', iid, 'update');
    await gitlab.hooks.push('team/app', 'docs', [{ files: { 'README.md': 'more\n' } }]);
    const other = await gitlab.hooks.openMergeRequest('team/app', { sourceBranch: 'docs' });
    await service.queue.idle();
    expect(await listNotes()).toHaveLength(1);
    const otherNotes = (await (await fetch(`${gitlab.url}/api/v4/projects/10/merge_requests/${other.iid}/notes`, { headers: { 'PRIVATE-TOKEN': COMPILER_TOKEN } })).json()) as unknown[];
    expect(otherNotes).toEqual([]);
  });
});
