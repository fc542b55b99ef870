import { describe, expect, it } from 'vitest';
import { DuoError } from '../../dataplane/duo/duo-error.ts';
import { verifyGatewayToken } from '../fake-ai-gateway/gateway-token.ts';
import { ALICE, BOB, useDuoStack } from './duo-stack.ts';

describe('Duo credentials: caching and single flight', () => {
  const stack = useDuoStack();

  it('makes one direct_access call for 50 concurrent requests of one user, then serves from cache', async () => {
    const { creds } = stack();
    const first = await Promise.all(Array.from({ length: 50 }, () => creds.get(ALICE.id, ALICE.token)));
    expect(new Set(first.map((c) => c.token)).size).toBe(1);
    const again = await Promise.all(Array.from({ length: 50 }, () => creds.get(ALICE.id, ALICE.token)));
    expect(again.every((c) => c.token === first[0]?.token)).toBe(true);
    expect(stack().directAccessCalls()).toBe(1);
    expect(creds.stats.directAccessCalls).toBe(1);
    expect(first[0]?.source).toBe('third_party_agents');
  });

  it('forwards-compatible answer: headers cleaned, token not enumerable', async () => {
    const { creds, gitlab } = stack();
    gitlab.duo.extraHeaders = { Authorization: 'Bearer not-for-the-gateway', 'x-api-key': 'nope', 'X-Evil': 'a\r\nx-injected: 1' };
    const c = await creds.get(ALICE.id, ALICE.token);
    expect(c.headers['x-gitlab-unit-primitive']).toBe('ai_gateway_model_provider_proxy');
    expect(c.headers['x-gitlab-global-user-id']).toBe(gitlab.duo.globalUserId(ALICE.id));
    expect(c.headers).not.toHaveProperty('authorization');
    expect(c.headers).not.toHaveProperty('x-api-key');
    expect(c.headers).not.toHaveProperty('x-evil');
    expect(JSON.stringify(c)).not.toContain(c.token);
    expect(Object.keys(c)).not.toContain('token');
  });

  it('refreshes shortly before expires_at, not earlier', async () => {
    const { creds, gitlab } = stack();
    const first = await creds.get(ALICE.id, ALICE.token);
    gitlab.duo.advance(3600_000 - 61_000);
    expect((await creds.get(ALICE.id, ALICE.token)).token).toBe(first.token);
    gitlab.duo.advance(2_000);
    const second = await creds.get(ALICE.id, ALICE.token);
    expect(second.token).not.toBe(first.token);
    expect(stack().directAccessCalls()).toBe(2);
  });

  it('keeps serving a still-valid credential when the early refresh is refused', async () => {
    const { creds, gitlab } = stack();
    const first = await creds.get(ALICE.id, ALICE.token);
    gitlab.duo.advance(3600_000 - 30_000);
    gitlab.duo.setUser('alice', { tokenFailure: true });
    expect((await creds.get(ALICE.id, ALICE.token)).token).toBe(first.token);
    gitlab.duo.advance(31_000);
    await expect(creds.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_unavailable' });
  });

  it('fetches a new credential after invalidate (gateway 401), only once for many failed requests', async () => {
    const { creds } = stack();
    const first = await creds.get(ALICE.id, ALICE.token);
    creds.invalidate(ALICE.id, ALICE.token, first);
    const second = await creds.get(ALICE.id, ALICE.token);
    expect(second.token).not.toBe(first.token);
    // Late 401s for the old credential must not throw away the new one.
    for (let i = 0; i < 20; i++) creds.invalidate(ALICE.id, ALICE.token, first);
    expect((await creds.get(ALICE.id, ALICE.token)).token).toBe(second.token);
    expect(stack().directAccessCalls()).toBe(2);
  });
});

describe('Duo credentials: isolation', () => {
  const stack = useDuoStack();

  it('never gives two users the same credential, even when asked at once', async () => {
    const { creds, gitlab } = stack();
    const [a, b] = await Promise.all([creds.get(ALICE.id, ALICE.token), creds.get(BOB.id, BOB.token)]);
    expect(a?.token).not.toBe(b?.token);
    const claims = (t: string) => {
      const v = verifyGatewayToken(t, gitlab.duo.keys.publicKey, gitlab.duo.now());
      if (!v.ok) throw new Error(v.reason);
      return v.claims;
    };
    expect(claims(a.token).sub).toBe(gitlab.duo.globalUserId(ALICE.id));
    expect(claims(b.token).sub).toBe(gitlab.duo.globalUserId(BOB.id));
  });

  it('keys the cache by token too: the same user id with another token gets its own credential', async () => {
    const { creds } = stack();
    const a = await creds.get(ALICE.id, ALICE.token);
    const b = await creds.get(ALICE.id, 'alice-oauth-token');
    expect(a.token).not.toBe(b.token);
    // A token of another user presented with alice's id is GitLab's to judge, never served from alice's cache.
    const c = await creds.get(ALICE.id, BOB.token);
    expect(c.headers['x-gitlab-global-user-id']).toBe(stack().gitlab.duo.globalUserId(BOB.id));
  });

  it('service-account mode: one credential for everyone, minted with the service token', async () => {
    const { credentials, gitlab } = stack();
    const creds = credentials({ mode: { serviceAccountToken: 'root-api-token' } });
    const [a, b] = await Promise.all([creds.get(ALICE.id, ALICE.token), creds.get(BOB.id, BOB.token)]);
    expect(a?.token).toBe(b?.token);
    expect(a?.headers['x-gitlab-global-user-id']).toBe(gitlab.duo.globalUserId(1));
    expect(stack().directAccessCalls()).toBe(1);
  });
});

describe('Duo credentials: GitLab rate limit', () => {
  const stack = useDuoStack();

  it('never exceeds 10 direct_access calls per 5 minutes for one user, even when every request forces a refresh', async () => {
    const { creds, gitlab } = stack();
    const outcomes: string[] = [];
    const attempt = async (): Promise<void> => {
      try {
        const c = await creds.get(ALICE.id, ALICE.token);
        outcomes.push('ok');
        // The gateway refused it: drop it and try once more, as the proxy does after a 401.
        creds.invalidate(ALICE.id, ALICE.token, c);
        await creds.get(ALICE.id, ALICE.token);
        outcomes.push('ok');
      } catch (error) {
        outcomes.push((error as DuoError).code);
      }
    };
    for (let round = 0; round < 6; round++) {
      // 50 concurrent requests of one user, each of which saw a gateway 401.
      await Promise.all(Array.from({ length: 50 }, (_, i) => new Promise((r) => setTimeout(r, i % 7)).then(attempt)));
      gitlab.duo.advance(20_000);
    }
    // Everything the fake answered was a success: GitLab never had to say 429.
    const answered = gitlab.requests.filter((r) => r.path.endsWith('/direct_access'));
    expect(answered.every((r) => r.status === 201)).toBe(true);
    const calls = gitlab.duo.calls.get('alice') ?? [];
    for (const t of calls) expect(calls.filter((u) => u >= t && u < t + 300_000).length).toBeLessThanOrEqual(10);
    expect(outcomes).toContain('duo_rate_limited');
    expect(outcomes.filter((o) => o !== 'ok' && o !== 'duo_rate_limited')).toEqual([]);
  });

  it('answers duo_rate_limited with the seconds until a call is allowed again, then recovers', async () => {
    const { creds, gitlab } = stack();
    for (let i = 0; i < 10; i++) {
      await creds.get(ALICE.id, ALICE.token);
      creds.invalidate(ALICE.id, ALICE.token);
      gitlab.duo.advance(1000);
    }
    const error = await creds.get(ALICE.id, ALICE.token).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuoError);
    expect((error as DuoError).code).toBe('duo_rate_limited');
    expect((error as DuoError).retryAfter).toBe(290);
    gitlab.duo.advance(290_000);
    await expect(creds.get(ALICE.id, ALICE.token)).resolves.toHaveProperty('source', 'third_party_agents');
    // Bob's budget is his own.
    await expect(creds.get(BOB.id, BOB.token)).resolves.toBeTruthy();
  });

  it('backs off after a 429 from GitLab (calls made elsewhere count too) and honours Retry-After', async () => {
    const { creds, gitlab } = stack();
    gitlab.faults.set({ rateLimit: { style: 'rack', retryAfter: 42 }, paths: /direct_access$/, times: 1 });
    await expect(creds.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_rate_limited', retryAfter: 42 });
    await expect(creds.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_rate_limited' });
    expect(stack().directAccessCalls()).toBe(1);
    gitlab.duo.advance(43_000);
    await expect(creds.get(ALICE.id, ALICE.token)).resolves.toBeTruthy();
  });
});

describe('Duo credentials: fallback and refusals', () => {
  const stack = useDuoStack();

  it('falls back to code_suggestions when third_party_agents refuses, and remembers it', async () => {
    const { creds, gitlab } = stack();
    gitlab.duo.setUser('alice', { thirdPartyAgents: false, modelDetails: { model_provider: 'anthropic', model_name: 'claude-sonnet-4-5-20250929' } });
    const c = await creds.get(ALICE.id, ALICE.token);
    expect(c.source).toBe('code_suggestions');
    expect(c.models).toEqual([{ id: 'claude-sonnet-4-5-20250929', provider: 'anthropic' }]);
    creds.invalidate(ALICE.id, ALICE.token);
    await creds.get(ALICE.id, ALICE.token);
    expect(stack().directAccessCalls('third_party_agents')).toBe(1);
    expect(stack().directAccessCalls('code_suggestions')).toBe(2);
  });

  it('falls back when the instance has no third_party_agents endpoint (older GitLab)', async () => {
    const { creds, gitlab } = stack();
    gitlab.duo.thirdPartyEndpoint = false;
    await expect(creds.get(ALICE.id, ALICE.token)).resolves.toHaveProperty('source', 'code_suggestions');
  });

  it('uses GitLab\'s base_url as the gateway unless one is configured', async () => {
    const { credentials, gitlab, gateway } = stack();
    gitlab.duo.setUser('alice', { thirdPartyAgents: false });
    gitlab.duo.aiGatewayUrl = `${gateway.url}/`;
    expect((await credentials({ gatewayUrl: undefined }).get(ALICE.id, ALICE.token)).gatewayUrl).toBe(gateway.url);
    expect((await credentials({ gatewayUrl: 'https://aigw.internal:5052/' }).get(ALICE.id, ALICE.token)).gatewayUrl).toBe('https://aigw.internal:5052');
  });

  it('maps "no Duo for this user" (403, then 401 from code_suggestions) to duo_not_enabled', async () => {
    const { creds, gitlab } = stack();
    gitlab.duo.setUser('alice', { thirdPartyAgents: false, codeSuggestions: false });
    await expect(creds.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_not_enabled' });
  });

  it('maps "Direct connections are disabled" to duo_not_enabled and says so', async () => {
    const { creds, gitlab } = stack();
    gitlab.duo.directAccessDisabled = true;
    await expect(creds.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_not_enabled', message: expect.stringContaining('disabled direct connections') });
  });

  it('maps GitLab.com\'s missing default namespace to duo_not_enabled with the fix', async () => {
    const { creds, gitlab } = stack();
    gitlab.duo.realm = 'saas';
    gitlab.duo.setUser('alice', { defaultNamespace: false });
    await expect(creds.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_not_enabled', message: expect.stringContaining('default GitLab Duo namespace') });
  });

  it('maps a token without ai_features/api to auth_insufficient_scope and a revoked one to auth_invalid, without fallback', async () => {
    const { creds } = stack();
    await expect(creds.get(ALICE.id, 'alice-read-api-token')).rejects.toMatchObject({ code: 'auth_insufficient_scope' });
    await expect(creds.get(ALICE.id, 'alice-revoked-token')).rejects.toMatchObject({ code: 'auth_invalid' });
    expect(stack().directAccessCalls('code_suggestions')).toBe(0);
  });

  it('maps a failed token mint (503) and an unreachable GitLab to duo_unavailable', async () => {
    const { creds, gitlab, credentials } = stack();
    gitlab.duo.setUser('alice', { tokenFailure: true });
    await expect(creds.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_unavailable', message: expect.stringContaining('Token creation failed') });
    const offline = credentials({ gitlabUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await expect(offline.get(ALICE.id, ALICE.token)).rejects.toMatchObject({ code: 'duo_unavailable' });
  });

  it('never puts a GitLab token or gateway token into an error message', async () => {
    const { creds, gitlab } = stack();
    gitlab.duo.setUser('alice', { thirdPartyAgents: false, codeSuggestions: false });
    const error = (await creds.get(ALICE.id, ALICE.token).catch((e: unknown) => e)) as DuoError;
    expect(error.message).not.toContain(ALICE.token);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(ALICE.token);
  });
});
