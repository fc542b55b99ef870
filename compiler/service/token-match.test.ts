import { describe, expect, it } from 'vitest';
import { matchesAnyToken } from './token-match.ts';

describe('matchesAnyToken', () => {
  it('accepts any configured token and nothing else', () => {
    expect(matchesAnyToken('new', ['old', 'new'])).toBe(true);
    expect(matchesAnyToken('old', ['old', 'new'])).toBe(true);
    expect(matchesAnyToken('ol', ['old'])).toBe(false);
    expect(matchesAnyToken('old ', ['old'])).toBe(false);
    expect(matchesAnyToken(undefined, ['old'])).toBe(false);
    expect(matchesAnyToken('', [''])).toBe(false);
    expect(matchesAnyToken('x', [])).toBe(false);
  });
});
