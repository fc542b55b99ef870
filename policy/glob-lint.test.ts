import { describe, expect, it } from 'vitest';
import { lintGlob } from './glob-lint.ts';

describe('lintGlob', () => {
  it.each(['*.sql', 'migrations/', 'docs/architecture/security-design.md', '**/*.pem', 'secrets/**', '**/a*b*c', '{a,b}/*.env', '.env*'])('accepts %s', (g) => {
    expect(lintGlob(g)).toEqual([]);
  });

  it.each([
    ['!README.md', 'negation', 0],
    ['/etc/passwd', 'absolute', 0],
    ['~/x', 'absolute', 0],
    ['C:\\x', 'absolute', 0],
    ['c:/x', 'absolute', 0],
    ['a/../b', 'parent_segment', 2],
    ['..', 'parent_segment', 0],
    ['a\0b', 'nul', 1],
    ['x/*a*b*c*d', 'too_complex', 2],
    ['**/a/**/b/**', 'too_complex', 0],
    ['a\\b', 'backslash', 1],
  ] as const)('reports %j as %s at %d', (glob, kind, index) => {
    expect(lintGlob(glob)).toContainEqual(expect.objectContaining({ kind, index }));
  });

  it('keeps backslash a warning and everything else an error', () => {
    expect(lintGlob('a\\b')[0]?.severity).toBe('warning');
    expect(lintGlob('!x')[0]?.severity).toBe('error');
  });
});
