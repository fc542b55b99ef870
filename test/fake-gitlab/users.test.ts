import { describe, expect, it } from 'vitest';
import { call, useFakeGitLab } from './test-helpers.ts';

describe('fake gitlab: users, tokens, version, unknown routes', () => {
  const fake = useFakeGitLab();

  it('GET /user returns UserPublic without is_admin for non-admins', async () => {
    const res = await call(fake(), '/api/v4/user', { token: 'alice-api-token' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.json).toMatchObject({ id: 2, username: 'alice', name: 'Alice Example', state: 'active', email: 'alice@example.com', bot: false, external: false, web_url: `${fake().url}/alice` });
    expect(res.json).not.toHaveProperty('is_admin');
  });

  it('GET /user adds is_admin for admins and bot for bot users', async () => {
    expect((await call(fake(), '/api/v4/user', { token: 'root-api-token' })).json).toMatchObject({ username: 'root', is_admin: true });
    // read_api covers every GET, /user included.
    const bot = await call(fake(), '/api/v4/user', { token: 'api-service-project-token' });
    expect(bot.json).toMatchObject({ username: 'project_7_bot_e1f2', bot: true });
    expect(bot.json).not.toHaveProperty('is_admin');
  });

  it('personal_access_tokens/self works with any scope', async () => {
    const res = await call(fake(), '/api/v4/personal_access_tokens/self', { token: 'alice-read-repo-token' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ scopes: ['read_repository'], user_id: 2, revoked: false, active: true, expires_at: null });
    const dated = await call(fake(), '/api/v4/personal_access_tokens/self', { token: 'alice-read-api-token' });
    expect(dated.json).toMatchObject({ expires_at: '2099-12-31', scopes: ['read_api'] });
  });

  it('personal_access_tokens/self answers 400 for OAuth tokens', async () => {
    const res = await call(fake(), '/api/v4/personal_access_tokens/self', { headers: { Authorization: 'Bearer alice-oauth-token' } });
    expect([res.status, res.json]).toEqual([400, { message: '400 Bad request - This endpoint requires token type to be a personal access token' }]);
  });

  it('GET /version needs a token', async () => {
    expect((await call(fake(), '/api/v4/version')).status).toBe(401);
    const res = await call(fake(), '/api/v4/version', { token: 'alice-read-api-token' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: '18.6.0' });
    expect(typeof (res.json as { revision: unknown }).revision).toBe('string');
  });

  it('answers unknown /api/v4 routes with 404 {"error":"404 Not Found"}, before any token check', async () => {
    for (const token of [undefined, 'alice-api-token', 'no-such-token']) {
      const res = await call(fake(), '/api/v4/nothing/here', token ? { token } : {});
      expect([res.status, res.json]).toEqual([404, { error: '404 Not Found' }]);
    }
    expect((await call(fake(), '/api/v4/user', { method: 'DELETE', token: 'alice-api-token' })).json).toEqual({ error: '404 Not Found' });
  });

  it('answers /api/v3 with 410', async () => {
    expect((await call(fake(), '/api/v3/projects', { token: 'alice-api-token' })).status).toBe(410);
  });
});
