import { describe, expect, it } from 'vitest';
import { expandReplacement, parseReplacement, unresolvedReferences } from './replacement.ts';

describe('replacement templates', () => {
  it('parses numbered, braced, named and escaped references', () => {
    expect(parseReplacement('a$1b${2}c${name}d$<n>e$$f').parts).toEqual([
      { text: 'a' }, { group: 1 }, { text: 'b' }, { group: 2 }, { text: 'c' }, { name: 'name' }, { text: 'd' }, { name: 'n' }, { text: 'e$f' },
    ]);
  });

  it('keeps a lone dollar literal', () => {
    expect(parseReplacement('cost: $ 5').parts).toEqual([{ text: 'cost: $ 5' }]);
  });

  it('expands groups, treating unset ones as empty', () => {
    const t = parseReplacement('${1}=[${v}]$2');
    expect(expandReplacement(t, ['all', 'key', undefined], { v: 'x' })).toBe('key=[x]');
  });

  it('lists references the pattern does not define', () => {
    expect(unresolvedReferences(parseReplacement('$1 $3 ${a} ${b}'), { count: 2, names: ['a'] })).toEqual(['$3', '${b}']);
  });
});
