import { describe, expect, it } from 'vitest';
import { normalizeGatewayUrl } from './gateway-url.ts';

describe('normalizeGatewayUrl', () => {
  it('keeps a root, trims slashes and pasted proxy suffixes', () => {
    expect(normalizeGatewayUrl('https://cloud.gitlab.com/ai/')).toBe('https://cloud.gitlab.com/ai');
    expect(normalizeGatewayUrl('https://cloud.gitlab.com/ai/v1/proxy/anthropic')).toBe('https://cloud.gitlab.com/ai');
    expect(normalizeGatewayUrl('https://cloud.gitlab.com/ai/v1/proxy/openai/v1')).toBe('https://cloud.gitlab.com/ai');
    expect(normalizeGatewayUrl('http://aigw.internal:5052')).toBe('http://aigw.internal:5052');
  });

  it('mounts a bare cloud.gitlab.com at /ai and refuses other schemes', () => {
    expect(normalizeGatewayUrl('https://cloud.gitlab.com')).toBe('https://cloud.gitlab.com/ai');
    expect(() => normalizeGatewayUrl('file:///etc/passwd')).toThrow(/http/);
  });
});
