import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from './size.ts';

describe('parseSize', () => {
  it.each([
    [0, 0],
    [102400, 102400],
    ['100kb', 100_000],
    ['100KB', 100_000],
    ['100 kb', 100_000],
    ['100k', 100_000],
    ['1.5mb', 1_500_000],
    ['2MiB', 2 * 1024 * 1024],
    ['64kib', 65_536],
    ['1gb', 1e9],
    ['12', 12],
    ['12b', 12],
  ])('reads %j as %d bytes', (input, bytes) => {
    expect(parseSize(input)).toBe(bytes);
  });

  it.each([['lots'], ['100 kilobytes'], ['-5kb'], ['1e3'], [''], ['10tb'], [-1], [1.5], [true], [null], [2 ** 41]])('rejects %j', (input) => {
    expect(parseSize(input)).toBeUndefined();
  });
});

describe('formatSize', () => {
  it('uses the largest exact binary unit', () => {
    expect(formatSize(102_400)).toBe('100 KiB');
    expect(formatSize(100_000)).toBe('97.66 KiB');
    expect(formatSize(12)).toBe('12 B');
    expect(formatSize(3 * 1024 ** 2)).toBe('3 MiB');
  });
});
