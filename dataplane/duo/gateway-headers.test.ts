import { describe, expect, it } from 'vitest';
import { buildCredential, type DuoCredential } from './duo-credential.ts';
import { gatewayHeaders } from './gateway-headers.ts';

function credential(headers: Record<string, string>): DuoCredential {
  return buildCredential({ token: 'gw-token', expiresAt: null, headers, baseUrl: null, metadata: {} }, 'third_party_agents', { now: 0, gatewayUrl: undefined, defaultGatewayUrl: 'https://cloud.gitlab.com/ai', defaultLifetimeMs: 1000 });
}

const returned = { 'X-Gitlab-Realm': 'self-managed', 'X-Gitlab-Global-User-Id': 'g1', 'x-gitlab-unit-primitive': 'ai_gateway_model_provider_proxy', 'x-gitlab-authentication-type': 'oidc' };

describe('gatewayHeaders', () => {
  it('never forwards the client\'s credentials: its GitLab token stays with aigate', () => {
    const out = gatewayHeaders(credential(returned), { authorization: 'Bearer glpat-user', 'x-api-key': 'glpat-user', 'private-token': 'glpat-user', cookie: 'a=b', 'x-ai-repo': 'g/p' }, 'anthropic');
    expect(Object.values(out).join(' ')).not.toContain('glpat-user');
    expect(out['authorization']).toBe('Bearer gw-token');
    expect(out).not.toHaveProperty('cookie');
    expect(out).not.toHaveProperty('x-ai-repo');
  });

  it('passes only the headers the gateway allows for the provider', () => {
    const incoming = { accept: 'text/event-stream', 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'a,b', 'user-agent': 'claude-cli/2', 'x-stainless-os': 'Linux' };
    const anthropic = gatewayHeaders(credential(returned), incoming, 'anthropic');
    expect(anthropic).toMatchObject({ accept: 'text/event-stream', 'anthropic-version': '2023-06-01', 'anthropic-beta': 'a,b' });
    expect(anthropic).not.toHaveProperty('user-agent');
    expect(anthropic).not.toHaveProperty('x-stainless-os');
    const openai = gatewayHeaders(credential(returned), incoming, 'openai');
    expect(openai).toMatchObject({ 'user-agent': 'claude-cli/2' });
    expect(openai).not.toHaveProperty('anthropic-beta');
  });

  it('adds the returned headers, and the unit primitive and OIDC type when GitLab left them out', () => {
    const out = gatewayHeaders(credential({ 'X-Gitlab-Realm': 'saas' }), {}, 'openai');
    expect(out).toMatchObject({ 'x-gitlab-realm': 'saas', 'x-gitlab-unit-primitive': 'ai_gateway_model_provider_proxy', 'x-gitlab-authentication-type': 'oidc', 'content-type': 'application/json' });
    expect(gatewayHeaders(credential({}), {}, 'anthropic')['anthropic-version']).toBe('2023-06-01');
  });

  it('a returned Authorization never replaces the gateway token', () => {
    expect(gatewayHeaders(credential({ ...returned, Authorization: 'Bearer other' }), {}, 'openai')['authorization']).toBe('Bearer gw-token');
  });
});
