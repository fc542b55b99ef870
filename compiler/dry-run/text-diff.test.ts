import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedRegions, matchRuns } from './text-diff.ts';

describe('changedRegions', () => {
  it('finds one region per replaced token, per line', () => {
    const a = 'A=glpat-aaaaaaaaaaaaaaaaaaaa\nB=ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\nC=plain\n';
    const b = 'A=[REDACTED:gitlab-pat]\nB=[REDACTED:github-pat]\nC=plain\n';
    expect(changedRegions(a, b).map((r) => a.slice(r.aStart, r.aEnd))).toEqual(['glpat-aaaaaaaaaaaaaaaaaaaa', 'ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb']);
  });

  it('keeps a replacement that shares text with its secret in one region', () => {
    const a = 'x pypi-AgENdGVzdC5weXBpLm9yZw y';
    const b = 'x [REDACTED:pypi-upload-token] y';
    expect(changedRegions(a, b).map((r) => a.slice(r.aStart, r.aEnd))).toEqual(['pypi-AgENdGVzdC5weXBpLm9yZw']);
  });

  it('maps a multi-line match replaced by one line back to all its lines', () => {
    const a = 'head\nkey: -----BEGIN KEY-----\nQUJD\nREVG\n-----END KEY-----\ntail\n';
    const b = 'head\nkey: [REDACTED:private-key]\ntail\n';
    const [region, ...rest] = changedRegions(a, b);
    expect(rest).toEqual([]);
    expect(a.slice(region?.aStart, region?.aEnd)).toBe('-----BEGIN KEY-----\nQUJD\nREVG\n-----END KEY-----');
  });

  it('finds every replaced stretch of random text (no redaction goes unseen)', () => {
    const word = fc.stringMatching(/^[a-z =:"\n]{0,12}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{8,30}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(word, secret, fc.boolean(), fc.constantFrom('[REDACTED:x]', '[REDACTED:generic-secret]', 'REDACTED')), { minLength: 1, maxLength: 12 }), word, (parts, tail) => {
        let a = '';
        let b = '';
        const truth: [number, number][] = [];
        for (const [before, value, multiline, replacement] of parts) {
          a += `${before} `;
          b += `${before} `;
          const original = multiline ? `${value}\n${value}` : value;
          truth.push([a.length, a.length + original.length]);
          a += original;
          b += replacement;
        }
        a += ` ${tail}`;
        b += ` ${tail}`;
        const found = changedRegions(a, b);
        for (const [s, e] of truth) expect(found.some((r) => r.aStart < e && s < Math.max(r.aEnd, r.aStart + 1))).toBe(true);
        for (const r of found) expect(truth.some(([s, e]) => r.aStart < e && s < Math.max(r.aEnd, r.aStart + 1))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('matchRuns', () => {
  it('returns the common runs of two sequences, or undefined past the edit bound', () => {
    const a = 'abcXdef';
    const b = 'abcYYdef';
    expect(matchRuns(a.length, b.length, (i, j) => a[i] === b[j], 100)).toEqual([[0, 0, 3], [4, 5, 3]]);
    expect(matchRuns(a.length, b.length, (i, j) => a[i] === b[j], 1)).toBeUndefined();
  });
});
