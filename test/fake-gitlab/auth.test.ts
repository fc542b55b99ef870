import { describe, expect, it } from 'vitest';
import { call, P7, useFakeGitLab } from './test-helpers.ts';

const UNAUTHORIZED = { message: '401 Unauthorized' };
const EXPIRED = { error: 'invalid_token', error_description: 'Token is expired. You can either do re-authorization or token refresh.' };
const REVOKED = { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authorize from the user.' };
const insufficient = (scope: string) => ({ error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.', scope });

describe('fake gitlab: authentication', () => {
  const fake = useFakeGitLab();

  it('answers 401 without a token and with an unknown token', async () => {
    for (const token of [undefined, 'no-such-token']) {
      const res = await call(fake(), '/api/v4/user', token ? { token } : {});
      expect([res.status, res.json]).toEqual([401, UNAUTHORIZED]);
    }
  });

  it('accepts PRIVATE-TOKEN, Bearer (PAT and OAuth) and the query parameters, and records how', async () => {
    const cases: [string, Record<string, string>, string][] = [
      ['/api/v4/user', { 'PRIVATE-TOKEN': 'alice-api-token' }, 'private-token'],
      ['/api/v4/user', { Authorization: 'Bearer alice-api-token' }, 'bearer'],
      ['/api/v4/user', { Authorization: 'Bearer alice-oauth-token' }, 'bearer'],
      ['/api/v4/user?private_token=alice-api-token', {}, 'query'],
      ['/api/v4/user?access_token=alice-oauth-token', {}, 'query'],
    ];
    for (const [path, headers] of cases) {
      const res = await call(fake(), path, { headers });
      expect(res.status, path).toBe(200);
      expect((res.json as { username: string }).username).toBe('alice');
    }
    expect(fake().requests.map((r) => r.auth)).toEqual(cases.map((c) => c[2]));
    expect(fake().requests[3]?.query).toEqual({ private_token: 'alice-api-token' });
  });

  it('does not take an OAuth token in PRIVATE-TOKEN (PAT family only)', async () => {
    const res = await call(fake(), '/api/v4/user', { token: 'alice-oauth-token' });
    expect([res.status, res.json]).toEqual([401, UNAUTHORIZED]);
  });

  it('rejects expired and revoked tokens with invalid_token and a WWW-Authenticate challenge', async () => {
    const expired = await call(fake(), '/api/v4/user', { token: 'alice-expired-token' });
    expect([expired.status, expired.json]).toEqual([401, EXPIRED]);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer realm="The API", error="invalid_token"/);
    const revoked = await call(fake(), '/api/v4/user', { token: 'alice-revoked-token' });
    expect([revoked.status, revoked.json]).toEqual([401, REVOKED]);
  });

  it('honours expiry and revocation made mid-test on the next request', async () => {
    expect((await call(fake(), '/api/v4/user', { token: 'alice-api-token' })).status).toBe(200);
    fake().state.expireToken('alice-api-token');
    expect((await call(fake(), '/api/v4/user', { token: 'alice-api-token' })).json).toEqual(EXPIRED);
    expect((await call(fake(), `/api/v4/projects/${P7}`, { token: 'bob-api-token' })).status).toBe(200);
    fake().state.revokeToken('bob-api-token');
    expect((await call(fake(), `/api/v4/projects/${P7}`, { token: 'bob-api-token' })).json).toEqual(REVOKED);
  });

  it('answers 403 for a blocked user', async () => {
    const res = await call(fake(), '/api/v4/user', { token: 'dave-api-token' });
    expect([res.status, res.json]).toEqual([403, { message: '403 Forbidden - Your account has been blocked.' }]);
  });

  it('read_api works on GET only', async () => {
    expect((await call(fake(), `/api/v4/projects/${P7}`, { token: 'alice-read-api-token' })).status).toBe(200);
    const put = await call(fake(), `/api/v4/projects/${P7}`, { token: 'alice-read-api-token', method: 'PUT', body: {} });
    expect([put.status, put.json]).toEqual([403, insufficient('api')]);
  });

  it('read_user reaches /user and /version but not projects', async () => {
    expect((await call(fake(), '/api/v4/user', { token: 'alice-read-user-token' })).status).toBe(200);
    expect((await call(fake(), '/api/v4/version', { token: 'alice-read-user-token' })).status).toBe(200);
    const project = await call(fake(), `/api/v4/projects/${P7}`, { token: 'alice-read-user-token' });
    expect([project.status, project.json]).toEqual([403, insufficient('api read_api')]);
  });

  it('read_repository reads files but gets 403 insufficient_scope on GET /projects/:id and /user', async () => {
    const project = await call(fake(), `/api/v4/projects/${P7}`, { token: 'alice-read-repo-token' });
    expect([project.status, project.json]).toEqual([403, insufficient('api read_api')]);
    expect(project.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    expect((await call(fake(), `/api/v4/projects/${P7}/repository/files/config.py?ref=main`, { token: 'alice-read-repo-token' })).status).toBe(200);
    expect((await call(fake(), `/api/v4/projects/${P7}/repository/files/config.py/raw`, { token: 'alice-read-repo-token' })).status).toBe(200);
    expect((await call(fake(), '/api/v4/user', { token: 'alice-read-repo-token' })).status).toBe(403);
  });

  it('accepts a job token on the raw file route for its own project', async () => {
    const res = await call(fake(), `/api/v4/projects/${P7}/repository/files/config.py/raw`, { headers: { 'JOB-TOKEN': 'api-service-job-token' } });
    expect(res.status).toBe(200);
    expect(res.text).toContain('hunter2');
    const viaQuery = await call(fake(), `/api/v4/projects/7/repository/files/README.md/raw?job_token=api-service-job-token`);
    expect(viaQuery.status).toBe(200);
    expect(fake().requests.map((r) => r.auth)).toEqual(['job-token', 'query']);
  });

  it('refuses a job token for another visible project with the allowlist message, and 404s invisible ones', async () => {
    const other = await call(fake(), `/api/v4/projects/oss%2Ftool/repository/files/README.md/raw`, { headers: { 'JOB-TOKEN': 'api-service-job-token' } });
    expect([other.status, other.json]).toEqual([403, { message: '403 Forbidden - Authentication by CI/CD job token not allowed from acme/platform/api-service to oss/tool.' }]);
    fake().state.addMember('acme/platform', 'bob', 30);
    const hidden = await call(fake(), `/api/v4/projects/acme%2Ffinance%2Fledger/repository/files/ledger.csv/raw`, { headers: { 'JOB-TOKEN': 'api-service-job-token' } });
    expect([hidden.status, hidden.json]).toEqual([404, { message: '404 Project Not Found' }]);
  });

  it('ignores job tokens on routes that do not opt in (401 where auth is required, anonymous elsewhere)', async () => {
    const user = await call(fake(), '/api/v4/user', { headers: { 'JOB-TOKEN': 'api-service-job-token' } });
    expect([user.status, user.json]).toEqual([401, UNAUTHORIZED]);
    const json = await call(fake(), `/api/v4/projects/${P7}/repository/files/config.py?ref=main`, { headers: { 'JOB-TOKEN': 'api-service-job-token' } });
    expect([json.status, json.json]).toEqual([404, { message: '404 Project Not Found' }]);
  });

  it('rejects a finished (revoked) job token with 401', async () => {
    fake().state.revokeToken('api-service-job-token');
    const res = await call(fake(), `/api/v4/projects/${P7}/repository/files/config.py/raw`, { headers: { 'JOB-TOKEN': 'api-service-job-token' } });
    expect([res.status, res.json]).toEqual([401, UNAUTHORIZED]);
  });

  it('serves public projects to anonymous callers in the basic shape', async () => {
    const res = await call(fake(), '/api/v4/projects/oss%2Ftool');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: 10, path_with_namespace: 'oss/tool' });
    expect(res.json).not.toHaveProperty('permissions');
    expect(res.json).not.toHaveProperty('visibility');
  });

  it('authenticates project access tokens as their bot user', async () => {
    const res = await call(fake(), '/api/v4/projects/7', { token: 'api-service-project-token' });
    expect(res.status).toBe(200);
    expect((res.json as { permissions: unknown }).permissions).toEqual({ project_access: { access_level: 40, notification_level: 3 }, group_access: null });
  });
});
