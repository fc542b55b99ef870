import { describe, expect, it } from 'vitest';
import { startStack } from '../helpers/dataplane-stack.ts';
import { SECRETS, TOKENS } from './fixtures.ts';

const ctx = (repo: string, file: string, extra = '') => `/api/context?repo=${encodeURIComponent(repo)}&file=${encodeURIComponent(file)}${extra}`;
const errorOf = (text: string) => (JSON.parse(text) as { error: { code: string; message: string } }).error;

describe('/api/context: the seed verification', () => {
  it('test 1: a developer without access to secret-project gets 403', async () => {
    const stack = await startStack();
    const r = await stack.request('/api/context?repo=ops/secret-project&file=config.py', { token: TOKENS.alice });
    expect(r.status).toBe(403);
    expect(errorOf(r.text)).toEqual({ code: 'repo_access_denied', message: 'aigate: ops/secret-project does not exist or you do not have access to it', request_id: expect.any(String) });
  });

  it('test 2: a password line comes back as password=REDACTED', async () => {
    const stack = await startStack();
    const r = await stack.request(ctx('team/app', 'config.py'), { token: TOKENS.alice });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(r.text).toContain('password=REDACTED');
    expect(r.text).toContain('DATABASE_HOST = "db.internal"');
    for (const secret of Object.values(SECRETS)) expect(r.text).not.toContain(secret.replace('CLIENT_SECRET=', ''));
    expect(r.headers.get('x-aigate-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('x-aigate-redactions')).toMatch(/password-assignment=1/);
    expect(r.headers.get('x-aigate-redactions')).toMatch(/gitlab-pat=1/);
  });

  it('serves the same in single-machine (local, unsigned) mode', async () => {
    const stack = await startStack({ mode: 'local' });
    const r = await stack.request(ctx('team/app', 'config.py'), { token: TOKENS.alice });
    expect(r.status).toBe(200);
    expect(r.text).toContain('password=REDACTED');
  });
});

describe('/api/context: permission inheritance', () => {
  it('gives the same answer for a project that does not exist and one the user cannot see', async () => {
    const stack = await startStack();
    const hidden = await stack.request(ctx('ops/secret-project', 'README.md'), { token: TOKENS.alice });
    const missing = await stack.request(ctx('ops/no-such-project', 'README.md'), { token: TOKENS.alice });
    expect(hidden.status).toBe(403);
    expect(missing.status).toBe(403);
    expect(errorOf(hidden.text).code).toBe(errorOf(missing.text).code);
    expect(errorOf(hidden.text).message.replace('secret-project', 'X')).toBe(errorOf(missing.text).message.replace('no-such-project', 'X'));
  });

  it('denies a user with no membership', async () => {
    const stack = await startStack();
    expect((await stack.request(ctx('team/app', 'README.md'), { token: TOKENS.bob })).status).toBe(403);
  });

  it('denies a Guest on a private project (can see it, cannot read its code)', async () => {
    const stack = await startStack();
    const guest = await stack.request(ctx('labs/prototype', 'README.md'), { token: TOKENS.gus });
    expect(guest.status).toBe(403);
    expect(errorOf(guest.text)).toMatchObject({ code: 'repo_read_forbidden', message: expect.stringMatching(/Guest role on labs\/prototype/) });
    const reporter = await stack.request(ctx('labs/prototype', 'README.md'), { token: TOKENS.alice });
    expect(reporter.status).toBe(200);
  });

  it('lets an admin read any project and anyone read a public one', async () => {
    const stack = await startStack();
    expect((await stack.request(ctx('labs/prototype', 'README.md'), { token: TOKENS.admin })).status).toBe(200);
    expect((await stack.request(ctx('oss/lib', 'README.md'), { token: TOKENS.bob })).status).toBe(200);
  });

  it('follows a rename to the canonical project and path', async () => {
    const stack = await startStack();
    const r = await stack.request(ctx('team/old-name', 'README.md'), { token: TOKENS.alice });
    expect(r.status).toBe(200);
    expect(r.text).toBe('renamed\n');
    const records = await stack.records();
    expect(records.at(-1)?.repo).toEqual({ id: 14, path: 'team/new-name' });
  });

  it('blocks a project renamed into a blocked namespace at once, before any recompile', async () => {
    const stack = await startStack();
    expect((await stack.request(ctx('team/app', 'README.md'), { token: TOKENS.alice })).status).toBe(200);
    stack.gitlab.state.renameProject('team/app', 'team/secrets-app');
    stack.dataplane.identity.flush();
    const r = await stack.request(ctx('team/secrets-app', 'README.md'), { token: TOKENS.alice });
    expect(r.status).toBe(403);
    expect(errorOf(r.text).code).toBe('repo_blocked');
  });
});

describe('/api/context: every deny code', () => {
  it.each([
    ['auth_missing', 401, ctx('team/app', 'README.md'), undefined],
    ['auth_invalid', 401, ctx('team/app', 'README.md'), 'glpat-NotARealTokenAtAll00000'],
    ['auth_invalid', 401, ctx('team/app', 'README.md'), TOKENS.aliceExpired],
    ['auth_insufficient_scope', 403, ctx('team/app', 'README.md'), TOKENS.aliceReadRepo],
    ['request_invalid', 400, '/api/context?file=README.md', TOKENS.alice],
    ['request_invalid', 400, '/api/context?repo=team/app', TOKENS.alice],
    ['repo_access_denied', 403, ctx('ops/secret-project', 'README.md'), TOKENS.alice],
    ['repo_read_forbidden', 403, ctx('labs/prototype', 'README.md'), TOKENS.gus],
    ['repo_blocked', 403, ctx('team/secrets-db', 'README.md'), TOKENS.alice],
    ['repo_not_configured', 403, ctx('team/no-config', 'README.md'), TOKENS.alice],
    ['repo_disabled', 403, ctx('team/disabled', 'README.md'), TOKENS.alice],
    ['repo_config_invalid', 403, ctx('team/broken', 'README.md'), TOKENS.alice],
    ['provider_not_allowed', 403, ctx('payments/api', 'README.md', '&provider=anthropic'), TOKENS.alice],
    ['file_excluded', 403, ctx('team/app', 'db/schema.sql'), TOKENS.alice],
    ['file_excluded', 403, ctx('team/app', '.env'), TOKENS.alice],
    ['file_too_large', 413, ctx('team/app', 'big.txt'), TOKENS.alice],
    ['path_invalid', 400, ctx('team/app', '../etc/passwd'), TOKENS.alice],
    ['file_not_found', 404, ctx('team/app', 'nope.txt'), TOKENS.alice],
    ['file_binary', 415, ctx('team/app', 'image.png'), TOKENS.alice],
  ] as const)('%s (%i) for %s', async (code, status, path, token) => {
    const stack = await startStack();
    const r = await stack.request(path, token ? { token } : {});
    expect(r.status).toBe(status);
    expect(errorOf(r.text).code).toBe(code);
    const record = (await stack.records()).at(-1);
    expect(record).toMatchObject({ decision: 'deny', reason: code, status, route: '/api/context' });
  });

  it('names the rule and its file and line in the denial', async () => {
    const stack = await startStack();
    const r = await stack.request(ctx('team/app', 'Docs/Architecture/Security-Design.md'), { token: TOKENS.alice });
    expect(errorOf(r.text).message).toBe('aigate: Docs/Architecture/Security-Design.md is excluded from AI by "docs/architecture/security-design.md" (.aiconfig line 7)');
  });
});
