import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ExitCode } from '../../cli/exit-codes.ts';
import { bufferIo, type CliIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { runLogin } from '../../client/commands/login.ts';
import { runToken } from '../../client/commands/token.ts';
import type { CredentialsFile } from '../../client/credentials-file.ts';
import type { FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { TEST_OAUTH_CLIENT_ID } from '../fake-gitlab/oauth-world.ts';
import { useFakeGitLab } from '../fake-gitlab/test-helpers.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** The CLI as a user runs it (one exit point), with login/token on the fake GitLab's clock. */
function cli(gitlab: FakeGitLab, sleeps: number[] = []) {
  const deps = {
    now: () => gitlab.duo.now(),
    // Waiting is simulated: the fake's clock moves, the test does not wait seconds.
    sleep: async (ms: number) => {
      sleeps.push(ms);
      gitlab.duo.advance(ms);
      await sleep(5);
    },
    callbackTimeoutMs: 10_000,
  };
  const commands = {
    login: { summary: '', load: async () => (args: readonly string[], io: CliIo) => runLogin(args, io, deps) },
    token: { summary: '', load: async () => (args: readonly string[], io: CliIo) => runToken(args, io, deps) },
  };
  return (argv: string[], io: CliIo): Promise<ExitCode> => runCli(argv, io, commands);
}

function userIo(home: string) {
  return bufferIo({ env: { HOME: home, XDG_CONFIG_HOME: join(home, 'config') } });
}

const credentialsOf = (home: string): CredentialsFile => JSON.parse(readFileSync(join(home, 'config', 'aigate', 'credentials.json'), 'utf8')) as CredentialsFile;

async function until<T>(what: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = what();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(10);
  }
}

const me = async (gitlab: FakeGitLab, token: string): Promise<number> => (await fetch(`${gitlab.url}/api/v4/user`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('aigate login: device authorization grant', () => {
  const fake = useFakeGitLab();

  it('shows the code, waits while pending, stores the token 0600 once approved', async () => {
    const gitlab = fake();
    gitlab.duo.advance(0);
    gitlab.duo.oauth.deviceIntervalSeconds = 1;
    const home = tempDir();
    const io = userIo(home);
    const previous = process.umask(0);
    let exit: ExitCode;
    try {
      const running = cli(gitlab)(['login', '--gitlab', `${gitlab.url}/`, '--client-id', TEST_OAUTH_CLIENT_ID], io);
      const userCode = await until(() => /enter the code (\S+)/.exec(io.out())?.[1]);
      await until(() => (gitlab.requests.filter((r) => r.path === '/oauth/token' && r.status === 400).length >= 2 ? true : undefined));
      const approve = await fetch(`${gitlab.url}/oauth/device`, { method: 'POST', headers: { 'PRIVATE-TOKEN': 'alice-api-token', 'content-type': 'application/x-www-form-urlencoded' }, body: `user_code=${userCode}` });
      expect(approve.status).toBe(200);
      exit = await running;
    } finally {
      process.umask(previous);
    }
    expect(exit).toBe(0);
    expect(io.out()).toContain(`Signed in to ${gitlab.url} as @alice`);
    const path = join(home, 'config', 'aigate', 'credentials.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'config', 'aigate')).mode & 0o777).toBe(0o700);
    const login = credentialsOf(home).logins[gitlab.url];
    expect(login).toMatchObject({ client_id: TEST_OAUTH_CLIENT_ID, username: 'alice', user_id: 2, scope: 'read_api ai_features', redirect_uri: null });
    expect(await me(gitlab, login?.access_token ?? '')).toBe(200);
    // The token never appears in what login prints.
    expect(io.out() + io.err()).not.toContain(login?.access_token);
  });

  it('waits 5 s longer after slow_down', async () => {
    const gitlab = fake();
    gitlab.duo.advance(0);
    gitlab.duo.oauth.deviceIntervalSeconds = 1;
    gitlab.duo.oauth.slowDownNext = 1;
    gitlab.duo.oauth.autoApprove = null;
    const sleeps: number[] = [];
    const io = userIo(tempDir());
    const running = cli(gitlab, sleeps)(['login', '--gitlab', gitlab.url, '--client-id', TEST_OAUTH_CLIENT_ID, '--method', 'device'], io);
    const userCode = await until(() => /enter the code (\S+)/.exec(io.out())?.[1]);
    await until(() => (sleeps.length >= 2 ? true : undefined));
    gitlab.duo.oauth.approveDevice(userCode, 'bob');
    expect(await running).toBe(0);
    expect(sleeps.slice(0, 2)).toEqual([1000, 6000]);
    expect(io.out()).toContain('as @bob');
  });

  it('exits 1 when the user denies or the code expires', async () => {
    const gitlab = fake();
    gitlab.duo.advance(0);
    gitlab.duo.oauth.deviceIntervalSeconds = 1;
    const io = userIo(tempDir());
    const running = cli(gitlab)(['login', '--gitlab', gitlab.url, '--client-id', TEST_OAUTH_CLIENT_ID], io);
    gitlab.duo.oauth.denyDevice(await until(() => /enter the code (\S+)/.exec(io.out())?.[1]));
    expect(await running).toBe(1);
    expect(io.err()).toContain('denied');

    gitlab.duo.oauth.deviceExpiresInSeconds = 3;
    const io2 = userIo(tempDir());
    expect(await cli(gitlab)(['login', '--gitlab', gitlab.url, '--client-id', TEST_OAUTH_CLIENT_ID], io2)).toBe(1);
    expect(io2.err()).toContain('expired');
  });

  it('exits 2 without --gitlab or --client-id, 1 for an unknown OAuth application', async () => {
    const gitlab = fake();
    const io = userIo(tempDir());
    expect(await cli(gitlab)(['login', '--client-id', 'x'], io)).toBe(2);
    expect(await cli(gitlab)(['login', '--gitlab', gitlab.url], io)).toBe(2);
    expect(await cli(gitlab)(['login', '--gitlab', gitlab.url, '--client-id', 'unknown-app'], io)).toBe(1);
    expect(io.err()).toContain('invalid_client');
  });
});

describe('aigate login: authorization code with PKCE on a loopback callback', () => {
  const fake = useFakeGitLab();

  it('falls back to the browser flow when the instance has no device grant; the callback completes it', async () => {
    const gitlab = fake();
    gitlab.duo.oauth.deviceGrant = false;
    const home = tempDir();
    const io = userIo(home);
    const running = cli(gitlab)(['login', '--gitlab', gitlab.url, '--client-id', TEST_OAUTH_CLIENT_ID, '--scopes', 'read_api,ai_features'], io);
    const authorizeUrl = new URL(await until(() => /(http:\/\/\S+\/oauth\/authorize\?\S+)/.exec(io.out())?.[1]));
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('scope')).toBe('read_api ai_features');
    const redirectUri = new URL(authorizeUrl.searchParams.get('redirect_uri') ?? '');
    expect(redirectUri.hostname).toBe('127.0.0.1');
    expect(Number(redirectUri.port)).toBeGreaterThan(0);

    // A forged callback (wrong state) is refused and does not end the flow.
    const forged = await fetch(`${redirectUri.origin}/callback?code=attacker-code&state=wrong`);
    expect(forged.status).toBe(400);

    // The "browser": signed in to GitLab as alice, follows GitLab's redirect to the callback.
    const consent = await fetch(authorizeUrl, { redirect: 'manual', headers: { 'PRIVATE-TOKEN': 'alice-api-token' } });
    expect(consent.status).toBe(302);
    const callback = await fetch(consent.headers.get('location') ?? '');
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('You can close this tab');

    expect(await running).toBe(0);
    const login = credentialsOf(home).logins[gitlab.url];
    expect(login).toMatchObject({ username: 'alice', redirect_uri: redirectUri.href });
    expect(await me(gitlab, login?.access_token ?? '')).toBe(200);
    // The callback server is gone once login ends.
    await expect(fetch(`${redirectUri.origin}/callback`)).rejects.toThrow();
  });

  it('exits 1 when GitLab redirects back with an error', async () => {
    const gitlab = fake();
    const io = userIo(tempDir());
    const running = cli(gitlab)(['login', '--gitlab', gitlab.url, '--client-id', TEST_OAUTH_CLIENT_ID, '--method', 'pkce', '--scopes', 'sudo'], io);
    const authorizeUrl = await until(() => /(http:\/\/\S+\/oauth\/authorize\?\S+)/.exec(io.out())?.[1]);
    const consent = await fetch(authorizeUrl, { redirect: 'manual', headers: { 'PRIVATE-TOKEN': 'alice-api-token' } });
    await fetch(consent.headers.get('location') ?? '');
    expect(await running).toBe(1);
    expect(io.err()).toContain('invalid_scope');
  });
});

describe('aigate token', () => {
  const fake = useFakeGitLab();

  async function loggedIn(gitlab: FakeGitLab, home: string): Promise<void> {
    gitlab.duo.advance(0);
    gitlab.duo.oauth.deviceIntervalSeconds = 1;
    gitlab.duo.oauth.autoApprove = 'alice';
    const io = userIo(home);
    const running = cli(gitlab)(['login', '--gitlab', gitlab.url, '--client-id', TEST_OAUTH_CLIENT_ID], io);
    gitlab.duo.oauth.approveDevice(await until(() => /enter the code (\S+)/.exec(io.out())?.[1]), 'alice');
    expect(await running).toBe(0);
  }

  it('prints only the stored token while it is valid, without asking GitLab', async () => {
    const gitlab = fake();
    const home = tempDir();
    await loggedIn(gitlab, home);
    gitlab.resetRequests();
    const io = userIo(home);
    expect(await cli(gitlab)(['token'], io)).toBe(0);
    expect(io.out()).toBe(`${credentialsOf(home).logins[gitlab.url]?.access_token}\n`);
    expect(io.err()).toBe('');
    expect(gitlab.requests).toEqual([]);
  });

  it('refreshes an expiring token with the refresh token, stores the new pair, and the old token dies', async () => {
    const gitlab = fake();
    const home = tempDir();
    await loggedIn(gitlab, home);
    const before = credentialsOf(home).logins[gitlab.url];
    gitlab.duo.advance(7200_000 - 300_000);
    const io = userIo(home);
    expect(await cli(gitlab)(['token', '--gitlab', gitlab.url], io)).toBe(0);
    const after = credentialsOf(home).logins[gitlab.url];
    expect(io.out()).toBe(`${after?.access_token}\n`);
    expect(after?.access_token).not.toBe(before?.access_token);
    expect(after?.refresh_token).not.toBe(before?.refresh_token);
    expect(await me(gitlab, after?.access_token ?? '')).toBe(200);
    expect(await me(gitlab, before?.access_token ?? '')).toBe(401);
    expect(statSync(join(home, 'config', 'aigate', 'credentials.json')).mode & 0o777).toBe(0o600);
  });

  it('refreshes once when several helpers ask at the same moment', async () => {
    const gitlab = fake();
    const home = tempDir();
    await loggedIn(gitlab, home);
    gitlab.duo.advance(7200_000);
    gitlab.resetRequests();
    const ios = Array.from({ length: 5 }, () => userIo(home));
    const exits = await Promise.all(ios.map((io) => cli(gitlab)(['token'], io)));
    expect(exits).toEqual([0, 0, 0, 0, 0]);
    expect(new Set(ios.map((io) => io.out())).size).toBe(1);
    expect(gitlab.requests.filter((r) => r.path === '/oauth/token').length).toBe(1);
  });

  it('exits 1 with "run aigate login" when the refresh token was revoked, or nobody logged in', async () => {
    const gitlab = fake();
    const home = tempDir();
    await loggedIn(gitlab, home);
    const login = credentialsOf(home).logins[gitlab.url];
    await fetch(`${gitlab.url}/oauth/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `client_id=${TEST_OAUTH_CLIENT_ID}&token=${login?.refresh_token}` });
    gitlab.duo.advance(7200_000);
    const io = userIo(home);
    expect(await cli(gitlab)(['token'], io)).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toContain(`aigate login --gitlab ${gitlab.url}`);
    const nobody = userIo(tempDir());
    expect(await cli(gitlab)(['token'], nobody)).toBe(1);
  });

  it('asks for --gitlab when several instances are stored, and warns about a readable file', async () => {
    const gitlab = fake();
    const home = tempDir();
    await loggedIn(gitlab, home);
    const path = join(home, 'config', 'aigate', 'credentials.json');
    const file = credentialsOf(home);
    writeFileSync(path, JSON.stringify({ version: 1, logins: { ...file.logins, 'https://other.example': file.logins[gitlab.url] } }));
    chmodSync(path, 0o644);
    const io = userIo(home);
    expect(await cli(gitlab)(['token'], io)).toBe(2);
    expect(io.err()).toContain('readable by other users');
    expect(await cli(gitlab)(['token', '--gitlab', gitlab.url], io)).toBe(0);
  });
});

describe('aigate token: a damaged credentials file', () => {
  const fake = useFakeGitLab();

  it('exits 1 naming the file, not 70', async () => {
    const gitlab = fake();
    const home = tempDir({ 'config/aigate/credentials.json': 'not json' });
    const io = userIo(home);
    expect(await cli(gitlab)(['token'], io)).toBe(1);
    expect(io.err()).toContain('is not an aigate credentials file');
  });
});
