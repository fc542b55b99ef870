import { describe, expect, it } from 'vitest';
import { MAX_PATH_LENGTH, normalizePath } from './paths.ts';

describe('normalizePath', () => {
  it.each([
    ['config.py', 'config.py'],
    ['./config.py', 'config.py'],
    ['/config.py', 'config.py'],
    ['a//b///c.txt', 'a/b/c.txt'],
    ['a/./b/', 'a/b'],
    ['a\\b\\c.sql', 'a/b/c.sql'],
    ['a%2Fb.sql', 'a/b.sql'],
    ['%2e%2fa', 'a'],
    ['Docs/Security-Design.md', 'Docs/Security-Design.md'],
    ['a%252e%252e%252fb', 'a%2e%2e%2fb'],
    ['🚀/x', '🚀/x'],
  ])('%j → %j', (input, expected) => {
    expect(normalizePath(input)).toEqual({ ok: true, path: expected });
  });

  it.each([
    ['../etc/passwd', 'path_parent_segment'],
    ['a/../../b', 'path_parent_segment'],
    ['%2e%2e%2fsecrets', 'path_parent_segment'],
    ['..%2fsecrets', 'path_parent_segment'],
    ['..\\secrets', 'path_parent_segment'],
    ['a%00.txt', 'path_nul'],
    ['a\0b', 'path_nul'],
    ['%E0%A4%A', 'path_encoding'],
    ['', 'path_empty'],
    ['/./', 'path_empty'],
    ['a'.repeat(MAX_PATH_LENGTH + 1), 'path_too_long'],
    ['a/'.repeat(10_000), 'path_too_long'],
  ])('refuses %j as %s', (input, problem) => {
    expect(normalizePath(input)).toMatchObject({ ok: false, problem });
  });
});
