import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { TEST_OAUTH_CLIENT_ID } from '../fake-gitlab/oauth-world.ts';
import { useFakeGitLab } from '../fake-gitlab/test-helpers.ts';

const REDIRECT = 'http://127.0.0.1:54321/callback';

async function form(gitlab: FakeGitLab, path: string, params: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(`${gitlab.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? JSON.parse(text) : text };
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function authorize(gitlab: FakeGitLab, params: Record<string, string>, session: string | null = 'alice-api-token'): Promise<{ status: number; location: URL | undefined }> {
  const url = new URL(`${gitlab.url}/oauth/authorize`);
  url.search = new URLSearchParams({ client_id: TEST_OAUTH_CLIENT_ID, redirect_uri: REDIRECT, response_type: 'code', state: 's1', scope: 'read_api ai_features', ...params }).toString();
  const res = await fetch(url, { redirect: 'manual', headers: session ? { 'PRIVATE-TOKEN': session } : {} });
  await res.text();
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined };
}

async function codeFlow(gitlab: FakeGitLab): Promise<{ access_token: string; refresh_token: string }> {
  const { verifier, challenge } = pkce();
  const { location } = await authorize(gitlab, { code_challenge: challenge, code_challenge_method: 'S256' });
  const r = await form(gitlab, '/oauth/token', { grant_type: 'authorization_code', client_id: TEST_OAUTH_CLIENT_ID, code: location?.searchParams.get('code') ?? '', redirect_uri: REDIRECT, code_verifier: verifier });
  expect(r.status).toBe(200);
  return r.json;
}

const user = async (gitlab: FakeGitLab, token: string): Promise<number> => (await fetch(`${gitlab.url}/api/v4/user`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('fake GitLab OAuth: authorization code with PKCE', () => {
  const fake = useFakeGitLab();

  it('redirects to the (any-port) loopback callback with code and state; the code works once, with the right verifier', async () => {
    const gitlab = fake();
    const { verifier, challenge } = pkce();
    const { status, location } = await authorize(gitlab, { code_challenge: challenge, code_challenge_method: 'S256' });
    expect(status).toBe(302);
    expect(location?.origin).toBe('http://127.0.0.1:54321');
    expect(location?.searchParams.get('state')).toBe('s1');
    const code = location?.searchParams.get('code') ?? '';
    const base = { grant_type: 'authorization_code', client_id: TEST_OAUTH_CLIENT_ID, code, redirect_uri: REDIRECT };
    expect(await form(gitlab, '/oauth/token', { ...base, code_verifier: pkce().verifier })).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(await form(gitlab, '/oauth/token', { ...base, redirect_uri: 'http://127.0.0.1:1/callback', code_verifier: verifier })).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const ok = await form(gitlab, '/oauth/token', { ...base, code_verifier: verifier });
    expect(ok).toMatchObject({ status: 200, json: { token_type: 'Bearer', expires_in: 7200, scope: 'read_api ai_features' } });
    expect(await form(gitlab, '/oauth/token', { ...base, code_verifier: verifier })).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(await user(gitlab, ok.json.access_token)).toBe(200);
  });

  it('shows (never redirects) an unknown client or an unregistered redirect URI', async () => {
    const gitlab = fake();
    expect((await authorize(gitlab, { client_id: 'nobody' })).status).toBe(401);
    const evil = await authorize(gitlab, { redirect_uri: 'https://evil.example/callback' });
    expect(evil).toEqual({ status: 400, location: undefined });
  });

  it('requires PKCE from a public client and a signed-in user (or the auto-approving fixture user)', async () => {
    const gitlab = fake();
    expect((await authorize(gitlab, {})).location?.searchParams.get('error')).toBe('invalid_request');
    const { challenge } = pkce();
    expect((await authorize(gitlab, { code_challenge: challenge, code_challenge_method: 'S256' }, null)).location?.pathname).toBe('/users/sign_in');
    gitlab.duo.oauth.autoApprove = 'bob';
    const approved = await authorize(gitlab, { code_challenge: challenge, code_challenge_method: 'S256' }, null);
    expect(approved.location?.searchParams.get('code')).toBeTruthy();
    expect((await authorize(gitlab, { code_challenge: challenge, scope: 'sudo' })).location?.searchParams.get('error')).toBe('invalid_scope');
  });

  it('rotates refresh tokens: the old pair stops working', async () => {
    const gitlab = fake();
    const first = await codeFlow(gitlab);
    const refreshed = await form(gitlab, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: TEST_OAUTH_CLIENT_ID });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).not.toBe(first.refresh_token);
    expect(await user(gitlab, first.access_token)).toBe(401);
    expect(await user(gitlab, refreshed.json.access_token)).toBe(200);
    expect(await form(gitlab, '/oauth/token', { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: TEST_OAUTH_CLIENT_ID })).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('introspects and revokes', async () => {
    const gitlab = fake();
    const t = await codeFlow(gitlab);
    const info = await fetch(`${gitlab.url}/oauth/token/info`, { headers: { authorization: `Bearer ${t.access_token}` } });
    expect(await info.json()).toMatchObject({ resource_owner_id: 2, scope: ['read_api', 'ai_features'], application: { uid: TEST_OAUTH_CLIENT_ID }, expires_in: 7200 });
    expect((await form(gitlab, '/oauth/revoke', { token: t.access_token, client_id: TEST_OAUTH_CLIENT_ID })).status).toBe(200);
    expect(await user(gitlab, t.access_token)).toBe(401);
  });

  it('accepts OAuth tokens on direct_access by scope: ai_features yes, read_user no', async () => {
    const gitlab = fake();
    const t = await codeFlow(gitlab);
    const post = (token: string) => fetch(`${gitlab.url}/api/v4/ai/third_party_agents/direct_access`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await post(t.access_token)).status).toBe(201);
    const { challenge, verifier } = pkce();
    const { location } = await authorize(gitlab, { code_challenge: challenge, code_challenge_method: 'S256', scope: 'read_user' });
    const narrow = await form(gitlab, '/oauth/token', { grant_type: 'authorization_code', client_id: TEST_OAUTH_CLIENT_ID, code: location?.searchParams.get('code') ?? '', redirect_uri: REDIRECT, code_verifier: verifier });
    expect((await post(narrow.json.access_token)).status).toBe(403);
  });
});

describe('fake GitLab OAuth: device authorization grant', () => {
  const fake = useFakeGitLab();

  const start = async (gitlab: FakeGitLab) => (await form(gitlab, '/oauth/authorize_device', { client_id: TEST_OAUTH_CLIENT_ID, scope: 'read_api ai_features' })).json;
  const poll = (gitlab: FakeGitLab, deviceCode: string) => form(gitlab, '/oauth/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: TEST_OAUTH_CLIENT_ID });

  it('answers pending, slow_down when polled too fast, then the token once approved', async () => {
    const gitlab = fake();
    gitlab.duo.advance(0);
    const d = await start(gitlab);
    expect(d).toMatchObject({ verification_uri: `${gitlab.url}/oauth/device`, expires_in: 300, interval: 5 });
    expect(d.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect((await poll(gitlab, d.device_code)).json.error).toBe('authorization_pending');
    expect((await poll(gitlab, d.device_code)).json.error).toBe('slow_down');
    gitlab.duo.advance(10_000);
    expect((await poll(gitlab, d.device_code)).json.error).toBe('authorization_pending');
    const approve = await fetch(`${gitlab.url}/oauth/device`, { method: 'POST', headers: { 'PRIVATE-TOKEN': 'alice-api-token', 'content-type': 'application/x-www-form-urlencoded' }, body: `user_code=${d.user_code}` });
    expect(approve.status).toBe(200);
    gitlab.duo.advance(10_000);
    const done = await poll(gitlab, d.device_code);
    expect(done.status).toBe(200);
    expect(await user(gitlab, done.json.access_token)).toBe(200);
    expect((await poll(gitlab, d.device_code)).json.error).toBe('invalid_grant');
  });

  it('answers expired_token and access_denied', async () => {
    const gitlab = fake();
    gitlab.duo.advance(0);
    const expired = await start(gitlab);
    gitlab.duo.advance(301_000);
    expect((await poll(gitlab, expired.device_code)).json.error).toBe('expired_token');
    const denied = await start(gitlab);
    gitlab.duo.oauth.denyDevice(denied.user_code);
    expect((await poll(gitlab, denied.device_code)).json.error).toBe('access_denied');
  });

  it('is absent (404) when the instance has the device grant off, and refuses unknown clients', async () => {
    const gitlab = fake();
    expect((await form(gitlab, '/oauth/authorize_device', { client_id: 'nobody' })).status).toBe(401);
    gitlab.duo.oauth.deviceGrant = false;
    expect((await form(gitlab, '/oauth/authorize_device', { client_id: TEST_OAUTH_CLIENT_ID })).status).toBe(404);
  });
});
