import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startStack } from '../helpers/dataplane-stack.ts';
import { SECRETS, TOKENS } from './fixtures.ts';

/** Content of excluded files in team/app; none may ever come back. */
const EXCLUDED_CONTENT = ['CREATE TABLE', 'class Init', 'threat model', `SECRET=`];

const ATTACKS = [
  '../team/app/.env',
  '.env',
  './.env',
  'x/../.env',
  '%2e%2e%2f.env',
  '..%2f.env',
  '%2e%2e/.env',
  'a/%2e%2e/.env',
  '%2eenv',
  '.ENV',
  '.Env',
  'DB/SCHEMA.SQL',
  'db\\schema.sql',
  'db%5cschema.sql',
  'db//schema.sql',
  'db/./schema.sql',
  '/db/schema.sql',
  'db/schema.sql/',
  'db%2fschema.sql',
  'db%2Fschema.sql',
  '%252e%252e%252f.env',
  '.env%00.txt',
  '.env\u0000',
  'MIGRATIONS/001_init.rb',
  'migrations%2F001_init.rb',
  'docs/architecture/../architecture/security-design.md',
  'Docs/Architecture/Security-Design.md',
  `${'a/'.repeat(5000)}.env`,
  'a'.repeat(10_240),
];

describe('/api/context: path attacks never return excluded content', () => {
  it.each(ATTACKS.map((a) => [a.length > 60 ? `${a.slice(0, 40)}… (${a.length} chars)` : JSON.stringify(a), a]))('%s', async (_label, attack) => {
    const stack = await startStack();
    const r = await stack.request(`/api/context?repo=team/app&file=${encodeURIComponent(attack)}`, { token: TOKENS.alice });
    // 431: Node refuses a request line beyond its 16 KB header limit before aigate sees it.
    expect([400, 403, 404, 431]).toContain(r.status);
    for (const content of EXCLUDED_CONTENT) expect(r.text).not.toContain(content);
  });

  it('fetches exactly the normalised path it checked', async () => {
    const stack = await startStack();
    stack.gitlab.resetRequests();
    const r = await stack.request(`/api/context?repo=team/app&file=${encodeURIComponent('./src//./main.ts')}`, { token: TOKENS.alice });
    expect(r.status).toBe(200);
    const fileCalls = stack.gitlab.requests.filter((q) => q.path.includes('/repository/files/'));
    expect(fileCalls.length).toBeGreaterThan(0);
    for (const call of fileCalls) expect(decodeURIComponent(call.path.split('/repository/files/')[1]!.replace(/\/raw$/, ''))).toBe('src/main.ts');
  });
});

describe('GitLab down and back', () => {
  it('answers 503 gitlab_unavailable with Retry-After, reports it on /health, and recovers', async () => {
    const stack = await startStack();
    stack.gitlab.faults.set({ down: true });
    const down = await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.bob });
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text).error.code).toBe('gitlab_unavailable');
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    const health = await stack.request('/health');
    expect(health.status).toBe(503);
    expect(JSON.parse(health.text)).toMatchObject({ status: 'degraded', gitlab: 'unreachable' });
    expect((await stack.records()).at(-1)).toMatchObject({ decision: 'error', reason: 'gitlab_unavailable', status: 503 });

    stack.gitlab.faults.clear();
    const back = await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice });
    expect(back.status).toBe(200);
    expect(JSON.parse((await stack.request('/health')).text)).toMatchObject({ status: 'healthy', gitlab: 'connected' });
  });

  it('keeps serving cached identities while GitLab is slow, then fails after they expire', async () => {
    const stack = await startStack({ configure: (c) => ({ ...c, gitlab: { ...c.gitlab, timeoutMs: 300 }, cache: { ...c.cache, tokenTtlMs: 1500, projectTtlMs: 1500 } }) });
    expect((await stack.request('/api/context?repo=oss/lib&file=README.md', { token: TOKENS.bob })).status).toBe(200);
    // Identity and project are cached; only the file fetch needs GitLab, so break just that.
    stack.gitlab.faults.set({ latencyMs: 1000, paths: /repository\/files/ });
    const slow = await stack.request('/api/context?repo=oss/lib&file=README.md', { token: TOKENS.bob });
    expect(slow.status).toBe(503);
    expect(stack.gitlab.requests.filter((q) => q.path === '/api/v4/user').length).toBe(1);
  });
});

describe('nothing leaks', () => {
  it('no token or planted secret appears in any log line, audit record or response', async () => {
    const stack = await startStack();
    const bodies: string[] = [];
    const hit = async (path: string, token?: string) => bodies.push((await stack.request(path, token ? { token } : {})).text);
    await hit('/api/context?repo=team/app&file=config.py', TOKENS.alice);
    await hit('/api/context?repo=team/app&file=.env', TOKENS.alice);
    await hit('/api/context?repo=team/app&file=config.py', TOKENS.aliceExpired);
    await hit('/api/context?repo=team/app&file=config.py', TOKENS.aliceReadRepo);
    await hit('/api/context?repo=ops/secret-project&file=config.py', TOKENS.alice);
    await hit('/api/context?repo=labs/prototype&file=README.md', TOKENS.gus);
    await hit(`/api/context?repo=team/app&file=${encodeURIComponent(SECRETS.gitlabPat)}`, TOKENS.alice);
    stack.gitlab.faults.set({ down: true });
    await hit('/api/context?repo=team/app&file=config.py', TOKENS.admin);
    stack.gitlab.faults.clear();
    await hit('/health');
    await stack.dataplane.journal.flush();

    const journal = readdirSync(stack.config.audit.dir).map((f) => readFileSync(join(stack.config.audit.dir, f), 'utf8')).join('\n');
    const everything = [...stack.logs, journal, ...bodies].join('\n');
    expect(journal.length).toBeGreaterThan(100);
    for (const token of Object.values(TOKENS)) expect(everything).not.toContain(token);
    for (const secret of [SECRETS.password, SECRETS.clientSecret]) expect(everything).not.toContain(secret);
    // The planted token was used as a *path*: it may be echoed as a path, never as file content.
    expect(bodies[0]).not.toContain(SECRETS.gitlabPat);
  });
});
