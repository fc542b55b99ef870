import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { AICONFIG, commitAll, dryRun, gitRepo, ORG_POLICY, writeFiles, type RunResult } from './dry-run-fixture.ts';

/** Distinctive tokens: every output of every test is checked for them. */
const READER = 'glpat-DryRunPolicyReader0001';
const OUTSIDER = 'glpat-DryRunOutsiderToken001';
const JOB = 'glcbt-DryRunPolicyJobToken01';
const TOKENS = [READER, OUTSIDER, JOB];

let gitlab: FakeGitLab;
beforeAll(async () => {
  gitlab = await startFakeGitLab({
    fixtures: {
      users: [
        { id: 1, username: 'alice', email: 'alice@example.com' },
        { id: 2, username: 'mallory', email: 'mallory@example.com' },
      ],
      tokens: [
        { value: READER, kind: 'pat', user: 'alice', scopes: ['read_api'] },
        { value: OUTSIDER, kind: 'pat', user: 'mallory', scopes: ['read_api'] },
        { value: JOB, kind: 'job', user: 'alice', scopes: [], project: 'security/ai-policy' },
      ],
      projects: [{ id: 1, path: 'security/ai-policy', visibility: 'private', members: [{ user: 'alice', access_level: 20 }], files: { 'ai-policy.yml': ORG_POLICY, 'policies/broken.yml': 'providers: 3\n' } }],
    },
  });
});
afterAll(() => gitlab.close());

const raw = (file = 'ai-policy.yml', ref = 'main') => `${gitlab.url}/api/v4/projects/security%2Fai-policy/repository/files/${encodeURIComponent(file)}/raw?ref=${ref}`;
const env = { AIGATE_POLICY_TOKEN: READER, OUTSIDER_TOKEN: OUTSIDER, CI_JOB_TOKEN: JOB };

async function run(args: string[], cwd: string, vars: Record<string, string> = env): Promise<RunResult> {
  const result = await dryRun(args, cwd, vars);
  for (const token of TOKENS) expect(`${result.out}${result.err}`).not.toContain(token);
  return result;
}

const LOOSER = 'ai_access:\n  enabled: true\n  allowed_providers: [anthropic, github, openai]\n';

describe('dry-run with --org-policy URL', () => {
  it('diff: the org policy from a GitLab raw-file URL gives the same report as the file, with the URL as its origin', async () => {
    const repo = gitRepo({ '.aiconfig': AICONFIG, 'db/schema.sql': 'create table t (id int);\n' });
    writeFiles(repo, { '.aiconfig': LOOSER });
    commitAll(repo, 'looser');
    const org = join(repo, '..', 'ai-policy.yml');
    writeFileSync(org, ORG_POLICY);
    const common = ['diff', '--base', 'HEAD~1', '--repo', 'team/app', '--format', 'json'];
    gitlab.resetRequests();
    const fromUrl = await run([...common, '--org-policy', raw(), '--org-policy-token-env', 'AIGATE_POLICY_TOKEN'], repo);
    const fromFile = await run([...common, '--org-policy', org], repo);
    expect([fromUrl.code, fromUrl.err]).toEqual([EXIT.ok, '']);
    const a = JSON.parse(fromUrl.out) as { base: { origin: string }; head: { origin: string }; verdict: string };
    const b = JSON.parse(fromFile.out) as typeof a;
    expect(a.head.origin).toBe(`ai-policy.yml from ${raw()} + .aiconfig (compiled in-process)`);
    expect(a.verdict).toBe('loosens');
    const withoutOrigins = (r: typeof a) => ({ ...r, base: { ...r.base, origin: '' }, head: { ...r.head, origin: '' } });
    expect(withoutOrigins(a)).toEqual(withoutOrigins(b));
    // Fetched once per run, the token in PRIVATE-TOKEN.
    expect(gitlab.requests.map((r) => [r.path, r.query['ref'], r.auth, r.status])).toEqual([['/api/v4/projects/security%2Fai-policy/repository/files/ai-policy.yml/raw', 'main', 'private-token', 200]]);
    const strict = await run([...common, '--org-policy', raw(), '--org-policy-token-env', 'AIGATE_POLICY_TOKEN', '--fail-on', 'loosening'], repo);
    expect(strict.code).toBe(EXIT.failed);
  });

  it('check and scan take the URL too; rule sources cite the file as the compiler service does', async () => {
    const dir = tempDir({ '.aiconfig': AICONFIG, 'x.key': 'k\n', 'src/app.ts': 'export const a = 1;\n' });
    const check = await run(['check', '--org-policy', raw(), '--org-policy-token-env', 'AIGATE_POLICY_TOKEN', '--aiconfig', '.aiconfig', '--repo', 'team/app', '--provider', 'anthropic', '--file', 'x.key'], dir);
    expect(check.code).toBe(EXIT.failed);
    expect(check.out).toContain('rule       glob "*.key" (ai-policy.yml line 9)');
    const scan = await run(['scan', '--org-policy', raw(), '--org-policy-token-env', 'AIGATE_POLICY_TOKEN', '--repo', 'team/app', '--format', 'json'], dir);
    expect(scan.code).toBe(EXIT.ok);
    expect(JSON.parse(scan.out)).toMatchObject({ origin: `ai-policy.yml from ${raw()} + .aiconfig (compiled in-process)` });
  });

  it('sends $CI_JOB_TOKEN as JOB-TOKEN, the only header GitLab takes a job token in', async () => {
    const dir = tempDir();
    gitlab.resetRequests();
    const result = await run(['check', '--org-policy', raw(), '--org-policy-token-env', 'CI_JOB_TOKEN', '--repo', 'team/app', '--provider', 'anthropic'], dir);
    expect(result.out).toContain('reason     repo_not_configured');
    expect(gitlab.requests.map((r) => [r.auth, r.status])).toEqual([['job-token', 200]]);
  });

  it('exits 2 with the status, a hint and never the token when GitLab refuses', async () => {
    const dir = tempDir();
    const args = (url: string, tokenEnv?: string) => ['check', '--org-policy', url, ...(tokenEnv ? ['--org-policy-token-env', tokenEnv] : []), '--repo', 'team/app', '--provider', 'anthropic'];
    const outsider = await run(args(raw(), 'OUTSIDER_TOKEN'), dir);
    expect(outsider.code).toBe(EXIT.usage);
    expect(outsider.err).toContain(`cannot fetch the org policy from ${raw()}: HTTP 404 Not Found (404 Project Not Found)`);
    expect(outsider.err).toContain('GitLab also answers 404 when the token cannot see the project');
    const wrong = await run(args(raw(), 'WRONG'), dir, { WRONG: 'glpat-NoSuchTokenAtAll00001' });
    expect(wrong.code).toBe(EXIT.usage);
    expect(wrong.err).toContain('HTTP 401 Unauthorized (401 Unauthorized)');
    expect(wrong.err).toContain('hint: the token in $WRONG was refused or may not read this');
    expect(wrong.err).not.toContain('glpat-NoSuchTokenAtAll00001');
    const missing = await run(args(raw('nope.yml'), 'AIGATE_POLICY_TOKEN'), dir);
    expect(missing.err).toContain('HTTP 404 Not Found (404 File Not Found)');
    const badRef = await run(args(raw('ai-policy.yml', 'no-such-branch'), 'AIGATE_POLICY_TOKEN'), dir);
    expect([badRef.code, badRef.err]).toEqual([EXIT.usage, expect.stringContaining('(404 Commit Not Found)')]);
  });

  it('exits 2 before any request for a missing variable, a token over plain http, credentials in the URL, a token option with a file', async () => {
    const dir = tempDir({ 'ai-policy.yml': ORG_POLICY });
    gitlab.resetRequests();
    const base = ['check', '--repo', 'team/app', '--provider', 'anthropic'];
    const unset = await run([...base, '--org-policy', raw(), '--org-policy-token-env', 'NOT_SET'], dir);
    expect([unset.code, unset.err]).toEqual([EXIT.usage, expect.stringContaining('--org-policy-token-env NOT_SET: that environment variable is not set or is empty')]);
    const plain = await run([...base, '--org-policy', 'http://gitlab.example.com/api/v4/projects/1/repository/files/ai-policy.yml/raw?ref=main', '--org-policy-token-env', 'AIGATE_POLICY_TOKEN'], dir);
    expect([plain.code, plain.err]).toEqual([EXIT.usage, expect.stringContaining('refusing to send the token in $AIGATE_POLICY_TOKEN over plain http to gitlab.example.com')]);
    const userinfo = await run([...base, '--org-policy', `${gitlab.url.replace('http://', `http://alice:${READER}@`)}/x.yml`], dir);
    expect([userinfo.code, userinfo.err]).toEqual([EXIT.usage, expect.stringContaining('carries a user name or password')]);
    const query = await run([...base, '--org-policy', `http://127.0.0.1:1/raw?ref=main&private_token=${READER}`], dir);
    expect(query.err).toContain('http://127.0.0.1:1/raw?ref=main&private_token=****: connection refused');
    const file = await run([...base, '--org-policy', 'ai-policy.yml', '--org-policy-token-env', 'AIGATE_POLICY_TOKEN'], dir);
    expect([file.code, file.err]).toEqual([EXIT.usage, expect.stringContaining('--org-policy-token-env goes with an --org-policy URL, not a file')]);
    const stray = await run([...base, '--bundle', 'bundle.json', '--org-policy-token-env', 'AIGATE_POLICY_TOKEN'], dir);
    expect([stray.code, stray.err]).toEqual([EXIT.usage, expect.stringContaining('--org-policy-token-env goes with an --org-policy URL')]);
    const strayDiff = await run(['diff', '--base', 'HEAD', '--org-policy', raw(), '--bundle-token-env', 'AIGATE_POLICY_TOKEN'], dir);
    expect([strayDiff.code, strayDiff.err]).toEqual([EXIT.usage, expect.stringContaining('--bundle-token-env goes with a --bundle URL')]);
    expect(gitlab.requests).toEqual([]);
  });

  it('an invalid org policy from a URL fails like a file (exit 1, diagnostics named after the file)', async () => {
    const result = await run(['check', '--org-policy', raw('policies/broken.yml'), '--org-policy-token-env', 'AIGATE_POLICY_TOKEN', '--repo', 'team/app', '--provider', 'anthropic'], tempDir());
    expect(result.code).toBe(EXIT.failed);
    expect(result.err).toMatch(/policies\/broken\.yml:1:\d+/);
    expect(result.err).toContain(`the org policy ${raw('policies/broken.yml')} is invalid`);
  });

  it("refuses GitLab's JSON file endpoint and HTML pages, retries 429 and 503, gives up on a dead server", async () => {
    const dir = tempDir();
    const base = ['check', '--org-policy-token-env', 'AIGATE_POLICY_TOKEN', '--repo', 'team/app', '--provider', 'anthropic'];
    const json = await run([...base, '--org-policy', raw().replace('/raw?', '?')], dir);
    expect([json.code, json.err]).toEqual([EXIT.usage, expect.stringContaining("answered GitLab's JSON description of the file")]);
    const answers = [{ status: 503, type: 'application/json', body: '{"message":"503 Service Unavailable"}' }, { status: 200, type: 'text/plain', body: ORG_POLICY }];
    const server = await tinyServer((i) => answers[Math.min(i, answers.length - 1)]!);
    const retried = await run([...base, '--org-policy', `${server.url}/ai-policy.yml`], dir);
    expect([retried.code, server.hits()]).toEqual([EXIT.failed, 2]);
    expect(retried.out).toContain(`policy     ai-policy.yml from ${server.url}/ai-policy.yml + no .aiconfig`);
    expect(server.tokens()).toEqual([READER, READER]);
    const html = await tinyServer(() => ({ status: 200, type: 'text/html; charset=utf-8', body: '<html>sign in</html>' }));
    expect((await run([...base, '--org-policy', `${html.url}/users/sign_in`], dir)).err).toContain('the server answered with an HTML page');
    const redirect = await tinyServer(() => ({ status: 302, type: 'text/plain', body: '', location: 'http://elsewhere.example/' }));
    const moved = await run([...base, '--org-policy', `${redirect.url}/a.yml`], dir);
    expect([moved.err, redirect.hits()]).toEqual([expect.stringContaining('HTTP 302 Found'), 1]);
    expect(moved.err).toContain('redirects are not followed');
    gitlab.faults.set({ rateLimit: { style: 'rack', retryAfter: 0 }, paths: /\/raw$/, times: 2 });
    expect((await run([...base, '--org-policy', raw()], dir)).code).toBe(EXIT.failed);
    const dead = await tinyServer(() => ({ status: 200, type: 'text/plain', body: '' }));
    await dead.close();
    const down = await run([...base, '--org-policy', `${dead.url}/ai-policy.yml`], dir);
    expect([down.code, down.err]).toEqual([EXIT.usage, expect.stringContaining(`cannot fetch the org policy from ${dead.url}/ai-policy.yml: connection refused`)]);
  });
});

interface Answer {
  readonly status: number;
  readonly type: string;
  readonly body: string;
  readonly location?: string;
}

/** A node:http server on port 0 answering request i with `answer(i)`; records the PRIVATE-TOKEN of each. */
async function tinyServer(answer: (i: number) => Answer): Promise<{ url: string; hits: () => number; tokens: () => string[]; close: () => Promise<void> }> {
  const tokens: string[] = [];
  const server = createServer((req, res) => {
    const a = answer(tokens.length);
    tokens.push(String(req.headers['private-token'] ?? ''));
    res.writeHead(a.status, { 'content-type': a.type, ...(a.location ? { location: a.location } : {}) }).end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = () => new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections();
  });
  onTestFinished(async () => {
    if (server.listening) await close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => tokens.length, tokens: () => tokens, close };
}
