import { describe, expect, it } from 'vitest';
import { captureGroups, checkPattern } from './regex-check.ts';

describe('checkPattern', () => {
  it.each(['glpat-[0-9A-Za-z_-]{20}', 'password.*=.*', '(?i)secret\\s*=\\s*\\S+', '(?P<k>key)=(\\S+)', '\\bAKIA[0-9A-Z]{16}\\b', '-----BEGIN [A-Z ]*PRIVATE KEY-----'])('accepts %s', (p) => {
    expect(checkPattern(p)).toBeUndefined();
  });

  it.each([
    ['a(?=b)', 'unsupported', 1],
    ['a(?!b)', 'unsupported', 1],
    ['(?<=a)b', 'unsupported', 0],
    ['(?<!a)b', 'unsupported', 0],
    ['(a)\\1', 'unsupported', 3],
    ['(?<n>a)\\k<n>', 'unsupported', 7],
    ['(?>a)', 'unsupported', 0],
    ['a++', 'unsupported', 1],
    ['[a-', 'invalid', 0],
    ['a{2,1}', 'invalid', 1],
    ['(', 'invalid', 0],
  ] as const)('reports %s as %s at index %d', (pattern, kind, index) => {
    expect(checkPattern(pattern)).toMatchObject({ kind, index });
  });

  it.each(['x*', '(secret)?', '\\b', 'a|', '^', '$', '(?m)^$', '\\B', 'a{0}', '(?:)'])('rejects %s because it can match empty text', (p) => {
    expect(checkPattern(p)?.kind).toBe('matches_empty');
  });
});

describe('captureGroups', () => {
  it('counts groups and names, ignoring non-capturing ones', () => {
    expect(captureGroups('(a)(?:b)(?P<n>c)(?<m>d)')).toEqual({ count: 3, names: ['n', 'm'] });
    expect(captureGroups('abc')).toEqual({ count: 0, names: [] });
  });
});
