import { describe, expect, it } from 'vitest';
import { maskSecret } from './mask.ts';

describe('maskSecret', () => {
  it('keeps a recognisable token prefix of at most six characters', () => {
    expect(maskSecret('glpat-aB3dE5fG7hJ9kL1mN2pQ4r')).toBe('glpat-****');
    expect(maskSecret('ghp_aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYz')).toBe('ghp_****');
    expect(maskSecret('xoxb-1234-5678-abcdef')).toBe('xoxb-****');
    expect(maskSecret('sk-ant-api03-abcdefghijklmnop')).toBe('sk-****');
  });

  it('shows at most a quarter of a value without a prefix, nothing of a short one', () => {
    expect(maskSecret('AKIAABCDEFGHIJKLMNOP')).toBe('AKIA****');
    expect(maskSecret('hunter2')).toBe('h****');
    expect(maskSecret('abc')).toBe('****');
    expect(maskSecret('a-b')).toBe('****');
  });

  it('starts at the value and never carries control characters', () => {
    expect(maskSecret(' = "s3cr3t-value-here"')).toBe('s3cr****');
    expect(maskSecret('\n-----BEGIN RSA PRIVATE KEY-----\nabc')).toBe('--****');
    expect(maskSecret('ab\u001b[31mcdefghijklmnop')).not.toMatch(/\u001b/);
  });
});
