import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PUSH_COMMIT_CAP, ZERO_SHA } from './webhooks.ts';
import { useFakeGitLab } from './test-helpers.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: Record<string, any>;
}

async function receiver(status = 200): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString()) });
      res.writeHead(status).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) };
}

describe('fake gitlab: webhook emitter', () => {
  const fake = useFakeGitLab();
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => close?.());

  it('sends GitLab\'s headers and caps a push at 20 commits with the true total', async () => {
    const r = await receiver();
    close = r.close;
    fake().hooks.addProjectHook(7, { url: r.url, token: 's3cret' });
    const commits = Array.from({ length: 25 }, (_, i) => ({ files: { [`f${i}.txt`]: `${i}\n` }, message: `c${i}` }));
    const result = await fake().hooks.push(7, 'main', commits);
    expect(result.deliveries[0]!.status).toBe(200);
    const [{ headers, body }] = r.received as [Received];
    expect(headers).toMatchObject({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 's3cret', 'content-type': 'application/json', 'x-gitlab-instance': fake().url });
    expect(headers['user-agent']).toMatch(/^GitLab\//);
    for (const h of ['x-gitlab-webhook-uuid', 'x-gitlab-event-uuid', 'idempotency-key']) expect(headers[h]).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.total_commits_count).toBe(25);
    expect(body.commits).toHaveLength(PUSH_COMMIT_CAP);
    expect(body.commits[0].message).toBe('c5');
    expect(body.commits.at(-1).id).toBe(body.after);
    expect(body.commits[0].added).toEqual(['f5.txt']);
  });

  it('uses zero SHAs for a created and a deleted branch, and resends with the same Idempotency-Key', async () => {
    const r = await receiver();
    close = r.close;
    fake().hooks.addProjectHook(7, { url: r.url });
    const created = await fake().hooks.push(7, 'topic', [{ files: { 'x.txt': 'x' } }]);
    expect(r.received[0]!.body).toMatchObject({ before: ZERO_SHA, after: created.after, total_commits_count: 1 });
    await fake().hooks.deleteBranch(7, 'topic');
    expect(r.received[1]!.body).toMatchObject({ before: created.after, after: ZERO_SHA, checkout_sha: null, commits: [], total_commits_count: 0 });
    const again = await fake().hooks.redeliver(created.deliveries[0]!.id);
    expect(again.idempotencyKey).toBe(created.deliveries[0]!.idempotencyKey);
    expect(r.received[2]!.headers['idempotency-key']).toBe(r.received[0]!.headers['idempotency-key']);
    expect(r.received[0]!.headers['x-gitlab-token']).toBeUndefined();
  });

  it('sends system hooks for project create, rename and destroy, and merge request hooks', async () => {
    const r = await receiver(500);
    close = r.close;
    fake().hooks.addSystemHook({ url: r.url, token: 't' });
    fake().hooks.addProjectHook(7, { url: r.url, token: 't', pushEvents: false });
    await fake().hooks.createProject({ id: 77, path: 'acme/new-one', visibility: 'private' });
    const renamed = await fake().hooks.renameProject(77, 'acme/renamed');
    expect(renamed[0]!.status).toBe(500);
    await fake().hooks.destroyProject(77);
    await fake().hooks.openMergeRequest(7, { sourceBranch: 'feature/login' });
    expect(r.received.map((x) => x.body.event_name ?? x.body.object_kind)).toEqual(['project_create', 'project_rename', 'project_destroy', 'merge_request']);
    expect(r.received[1]!.body).toMatchObject({ path_with_namespace: 'acme/renamed', old_path_with_namespace: 'acme/new-one', project_id: 77 });
    expect(r.received[1]!.headers['x-gitlab-event']).toBe('System Hook');
    expect(r.received[3]!.body.object_attributes).toMatchObject({ action: 'open', iid: 1, source_branch: 'feature/login', target_branch: 'main' });
  });
});
