import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changedRegions, matchRuns, type Region } from './text-diff.ts';

/** Text before, secret, whether the secret spans two lines, its replacement. */
type Part = readonly [before: string, secret: string, multiline: boolean, replacement: string];

/** The text, its redaction and where each secret is in the text. */
function redactParts(parts: readonly Part[], tail: string): { a: string; b: string; truth: [number, number][] } {
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
  return { a: `${a} ${tail}`, b: `${b} ${tail}`, truth };
}

/** Every secret overlaps a region, and every region overlaps a secret. */
function expectEverySecretSeen(parts: readonly Part[], tail: string): void {
  const { a, b, truth } = redactParts(parts, tail);
  const found = changedRegions(a, b);
  const overlap = (r: Region, [s, e]: readonly [number, number]) => r.aStart < e && s < Math.max(r.aEnd, r.aStart + 1);
  for (const t of truth) expect(found.some((r) => overlap(r, t)), `secret at ${t[0]} unseen`).toBe(true);
  for (const r of found) expect(truth.some((t) => overlap(r, t)), `region at ${r.aStart} holds no secret`).toBe(true);
}

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

  it('keeps the real `:` and spaces between markers out of the secrets (fast-check seed 816464052)', () => {
    // A character diff matched the `:` of `[REDACTED:x]` and spaces of the text to each other: two
    // secrets became one region and the unchanged `:` a region of its own.
    const { a, b } = redactParts([['', '--A_AaaA', false, '[REDACTED:generic-secret]'], ['', '-_Aa0_rF', false, '[REDACTED:x]'], [' :', '0Aaa---a', false, '[REDACTED:x]'], ['', 'aaA-Aa_A', false, '[REDACTED:x]']], '');
    expect(changedRegions(a, b).map((r) => [a.slice(r.aStart, r.aEnd), b.slice(r.bStart, r.bEnd)])).toEqual([
      ['--A_AaaA', '[REDACTED:generic-secret]'],
      ['-_Aa0_rF', '[REDACTED:x]'],
      ['0Aaa---a', '[REDACTED:x]'],
      ['aaA-Aa_A', '[REDACTED:x]'],
    ]);
  });

  it('finds which lines a replacement joined from the lines around it, not from letters a custom replacement shares with a secret', () => {
    // Line grouping once picked `…AD` for ending like `REDACTED`, or the second of two `"` lines.
    expectEverySecretSeen([['', '0aA-0_AD', true, '[REDACTED:x]'], [' =', '---_a-AA', false, 'REDACTED'], ['\n', 'A-Aa--aA', false, '[REDACTED:x]'], ['', '_aa0_a-a', false, '[REDACTED:x]']], '');
    expectEverySecretSeen([['', '-0aa-0-A', false, 'REDACTED'], ['\n"\n', '--A0Aa-D', false, '[REDACTED:x]'], ['\n"\n', '0aA_a_a0', false, '[REDACTED:x]'], ['', '-0A_-a00', true, '[REDACTED:x]'], ['\n a', 'Aa__0-0-', true, '[REDACTED:x]']], '');
    expectEverySecretSeen([['', 'a0_0a_a-', false, 'REDACTED'], ['', '__-_C00_', false, '[REDACTED:x]'], [' a', '-_F-a-a-', false, '[REDACTED:x]'], ['', 'a-a__-0A', false, '[REDACTED:x]']], '');
    // ` [REDACTED:x] [REDACTED:x]k` joined two lines; the first blank line agrees at two shifts.
    expectEverySecretSeen([['', '000-_-aa', false, '[REDACTED:x]'], ['\n\n', '0_-A00aA', false, '[REDACTED:x]'], ['', '0A-0Aaaa', true, '[REDACTED:x]'], ['k\n\n :', '_--A__-0', false, '[REDACTED:x]'], ['', 'A-AA__0k', true, '[REDACTED:x]'], ['', 'A__0aAa-', true, '[REDACTED:x]']], '');
  });

  it('pairs a long run of changed lines one by one even when a PEM block inside it joined lines', () => {
    const a: string[] = [];
    const b: string[] = [];
    for (let k = 0; k < 600; k++) {
      if (k === 300) {
        a.push('key: -----BEGIN KEY-----', ...Array.from({ length: 30 }, () => 'QUJD'.repeat(16)), '-----END KEY-----');
        b.push('key: [REDACTED:private-key]');
      } else {
        a.push(`token${k} = "glpat-${String(k).padStart(20, 'a')}"`);
        b.push(`token${k} = "[REDACTED:gitlab-pat]"`);
      }
    }
    const [textA, textB] = [a.join('\n'), b.join('\n')];
    const found = changedRegions(textA, textB).map((r) => textA.slice(r.aStart, r.aEnd));
    expect(found).toHaveLength(600);
    expect(found.filter((s) => !/^glpat-a*\d+$/u.test(s))).toEqual([`-----BEGIN KEY-----\n${`${'QUJD'.repeat(16)}\n`.repeat(30)}-----END KEY-----`]);
  });

  it('finds every replaced stretch of random text (no redaction goes unseen)', () => {
    const word = fc.stringMatching(/^[a-z =:"\n]{0,12}$/);
    const secret = fc.stringMatching(/^[A-Za-z0-9_-]{8,30}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(word, secret, fc.boolean(), fc.constantFrom('[REDACTED:x]', '[REDACTED:generic-secret]', 'REDACTED')), { minLength: 1, maxLength: 12 }), word, (parts, tail) => {
        expectEverySecretSeen(parts, tail);
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
