import { describe, expect, it } from 'vitest';
import type { DataplaneConfig } from '../../dataplane/config/dataplane-config.ts';
import { query, testDatabase } from '../audit-db/pg-helpers.ts';
import { ORG_POLICY, TOKENS } from '../dataplane/fixtures.ts';
import { startStack } from '../helpers/dataplane-stack.ts';
import { REDIS_URL, testPrefix } from '../limits/redis-helpers.ts';
import { startProviderStack } from './provider-stack.ts';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const ask = (stack: { request: (p: string, o: object) => Promise<{ status: number; text: string }> }) =>
  stack.request('/anthropic/v1/messages', { method: 'POST', token: TOKENS.alice, headers: { 'x-ai-repo': 'team/app', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-fake-opus-4', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) });

describe('several replicas: Redis limits and caches, PostgreSQL audit', () => {
  it('holds a per-user limit across two proxies sharing Redis, and ships both journals to PostgreSQL', async () => {
    const databaseUrl = await testDatabase();
    const rl = testPrefix('replica-rl');
    const cache = testPrefix('replica-cache');
    const shared = (c: DataplaneConfig): DataplaneConfig => ({
      ...c,
      redis: { url: REDIS_URL, commandTimeoutMs: 500 },
      rateLimits: { store: 'redis', keyPrefix: rl, redisDown: 'closed' },
      sharedCache: { prefix: cache },
      auditDatabase: { url: databaseUrl, retentionDays: undefined, batchSize: 100, pollMs: 50 },
      adminToken: ADMIN_TOKEN,
    });
    const orgPolicy = `${ORG_POLICY}rate_limits:\n  per_user: 5\n`;
    const one = await startProviderStack({ orgPolicy, configure: shared });
    const two = await startProviderStack({ orgPolicy, configure: shared });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await ask(i % 2 === 0 ? one : two)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);

    // The second proxy found alice's token in the shared cache: only one GET /user reached GitLab per fake GitLab at most.
    const userCalls = [one, two].map((s) => s.gitlab.requests.filter((r) => r.path === '/api/v4/user').length);
    expect(userCalls.reduce((a, b) => a + b, 0)).toBe(1);

    // An admin flush clears the shared caches for both replicas.
    const denied = await one.request('/admin/cache/flush', { method: 'POST', headers: { authorization: 'Bearer wrong-token-0000000000000000' } });
    expect(denied.status).toBe(401);
    const flushed = await one.request('/admin/cache/flush', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(flushed.status).toBe(200);

    for (const s of [one, two]) await s.dataplane.journal.flush();
    await one.close();
    await two.close();
    const rows = await query<{ n: string; users: string }>(databaseUrl, "SELECT count(*) AS n, count(DISTINCT user_email) AS users FROM ai_requests WHERE route = '/anthropic/v1/messages'");
    expect(rows[0]).toEqual({ n: '8', users: '1' });
    const refused = await query<{ reason: string }>(databaseUrl, "SELECT reason FROM ai_requests WHERE decision = 'deny'");
    expect(refused.map((r) => r.reason)).toEqual(['rate_limited', 'rate_limited', 'rate_limited']);
  }, 60_000);

  it('refuses with 503 when Redis is down and the store is closed, and lets requests through when open', async () => {
    const down = (mode: 'open' | 'closed') => (c: DataplaneConfig): DataplaneConfig => ({ ...c, redis: { url: 'redis://127.0.0.1:1', commandTimeoutMs: 100 }, rateLimits: { store: 'redis', redisDown: mode } });
    const orgPolicy = `${ORG_POLICY}rate_limits:\n  per_user: 5\n`;
    const closed = await startProviderStack({ orgPolicy, configure: down('closed') });
    const r = await ask(closed);
    expect(r.status).toBe(503);
    expect(JSON.parse(r.text).error.code).toBe('rate_limit_unavailable');
    const open = await startProviderStack({ orgPolicy, configure: down('open') });
    expect((await ask(open)).status).toBe(200);
  }, 30_000);

  it('keeps /metrics behind its token when one is configured', async () => {
    const stack = await startStack({ configure: (c) => ({ ...c, metricsToken: 'metrics-token-0123456789' }) });
    expect((await stack.request('/metrics')).status).toBe(401);
    expect((await stack.request('/metrics', { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
  });
});
