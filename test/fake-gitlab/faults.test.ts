import { describe, expect, it } from 'vitest';
import { call, useFakeGitLab } from './test-helpers.ts';

const TOKEN = 'alice-api-token';

describe('fake gitlab: faults', () => {
  const fake = useFakeGitLab();

  it('rack rate limit: 429, plain text, RateLimit-* headers with an epoch reset', async () => {
    fake().faults.set({ rateLimit: { style: 'rack', retryAfter: 30 } });
    const before = Math.floor(Date.now() / 1000);
    const res = await call(fake(), '/api/v4/user', { token: TOKEN });
    expect([res.status, res.text.trim()]).toEqual([429, 'Retry later']);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    for (const h of ['ratelimit-name', 'ratelimit-limit', 'ratelimit-observed', 'ratelimit-remaining', 'ratelimit-reset', 'ratelimit-resettime']) expect(res.headers.get(h), h).not.toBeNull();
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('ratelimit-name')).toBe('throttle_authenticated_api');
    expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(before + 30);
    expect(Number(res.headers.get('ratelimit-reset'))).toBeLessThanOrEqual(before + 32);
  });

  it('application rate limit: 429 JSON with Retry-After and no RateLimit-* headers', async () => {
    fake().faults.set({ rateLimit: { style: 'app', retryAfter: 60 } });
    const res = await call(fake(), '/api/v4/projects', { token: TOKEN });
    expect([res.status, res.json]).toEqual([429, { message: { error: 'This endpoint has been requested too many times. Try again later.' } }]);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.headers.get('ratelimit-name')).toBeNull();
  });

  it('bad gateway: 502 with an nginx HTML body', async () => {
    fake().faults.set({ badGateway: {} });
    const res = await call(fake(), '/api/v4/user', { token: TOKEN });
    expect(res.status).toBe(502);
    expect(res.text).toContain('<center><h1>502 Bad Gateway</h1></center>');
  });

  it('latency delays the answer', async () => {
    fake().faults.set({ latencyMs: 300 });
    const start = performance.now();
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('down resets the connection without an answer', async () => {
    fake().faults.set({ down: true, times: 1 });
    await expect(call(fake(), '/api/v4/user', { token: TOKEN })).rejects.toThrow(/fetch failed/);
    expect(fake().requests[0]?.status).toBe(0);
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(200);
  });

  it('limits a fault to matching paths and a number of requests, and clears', async () => {
    fake().faults.set({ badGateway: {}, paths: /\/repository\/files\//, times: 2 });
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(200);
    const raw = '/api/v4/projects/7/repository/files/config.py/raw';
    expect((await call(fake(), raw, { token: TOKEN })).status).toBe(502);
    expect((await call(fake(), raw, { token: TOKEN })).status).toBe(502);
    expect((await call(fake(), raw, { token: TOKEN })).status).toBe(200);
    expect(fake().faults.current).toBeUndefined();
    fake().faults.set({ badGateway: {} });
    expect((await call(fake(), raw, { token: TOKEN })).status).toBe(502);
    fake().faults.clear();
    expect((await call(fake(), raw, { token: TOKEN })).status).toBe(200);
  });

  it('records every request and can reset the log', async () => {
    await call(fake(), '/api/v4/projects/acme%2Fhandbook?statistics=true', { token: TOKEN });
    await call(fake(), '/api/v4/user');
    expect(fake().requests).toEqual([
      { method: 'GET', path: '/api/v4/projects/acme%2Fhandbook', query: { statistics: 'true' }, auth: 'private-token', status: 200, at: expect.any(Number) },
      { method: 'GET', path: '/api/v4/user', query: {}, auth: 'none', status: 401, at: expect.any(Number) },
    ]);
    fake().resetRequests();
    expect(fake().requests).toEqual([]);
  });
});

describe('fake gitlab: control API', () => {
  const fake = useFakeGitLab();

  it('sets and clears faults over HTTP (paths as a regex string)', async () => {
    const set = await call(fake(), '/__fake/faults', { method: 'POST', body: { rateLimit: { style: 'app', retryAfter: 5 }, paths: '^/api/v4/user$', times: 1 } });
    expect(set.status).toBe(200);
    expect((await call(fake(), '/api/v4/version', { token: TOKEN })).status).toBe(200);
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(429);
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(200);
    await call(fake(), '/__fake/faults', { method: 'POST', body: { badGateway: {} } });
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(502);
    expect((await call(fake(), '/__fake/faults', { method: 'DELETE' })).status).toBe(200);
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(200);
  });

  it('calls state methods with a JSON array of arguments', async () => {
    const revoked = await call(fake(), '/__fake/state/revokeToken', { method: 'POST', body: [TOKEN] });
    expect([revoked.status, revoked.json]).toEqual([200, { result: null }]);
    expect((await call(fake(), '/api/v4/user', { token: TOKEN })).status).toBe(401);
    const commit = await call(fake(), '/__fake/state/commitFiles', { method: 'POST', body: [7, 'main', { 'new.txt': 'hi\n' }, 'add'] });
    expect((commit.json as { result: string }).result).toMatch(/^[0-9a-f]{40}$/);
    const project = await call(fake(), '/__fake/state/project', { method: 'POST', body: ['acme/platform/api-service'] });
    expect(project.json).toMatchObject({ result: { id: 7, members: { bob: 10 }, branches: { main: (commit.json as { result: string }).result } } });
  });

  it('rejects unknown routes and bad arguments, and is not recorded', async () => {
    expect((await call(fake(), '/__fake/state/constructor', { method: 'POST', body: [] })).status).toBe(404);
    expect((await call(fake(), '/__fake/requests')).status).toBe(404);
    const bad = await call(fake(), '/__fake/state/renameProject', { method: 'POST', body: [999, 'x/y'] });
    expect([bad.status, bad.json]).toEqual([400, { error: 'fake gitlab: no project 999' }]);
    expect((await call(fake(), '/__fake/faults', { method: 'POST', body: { nonsense: true } })).status).toBe(400);
    expect(fake().requests).toEqual([]);
  });
});
