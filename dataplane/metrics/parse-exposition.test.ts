import { describe, expect, it } from 'vitest';
import { parseExposition } from './parse-exposition.ts';

describe('exposition parser (the oracle of the metrics tests)', () => {
  it.each([
    ['x 1\n', /before its TYPE/],
    ['# TYPE x counter\nx{a="b\\q"} 1\n', /bad escape/],
    ['# TYPE x counter\nx{a="b} 1\n', /unterminated|expected/],
    ['# TYPE x counter\nx one\n', /bad number/],
    ['# TYPE x counter\n# TYPE x counter\n', /repeated/],
    ['# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\nh_sum 1\n', /not cumulative/],
    ['# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n', /no \+Inf/],
    ['# TYPE x counter\nx 1', /newline/],
  ])('rejects %j', (text, error) => {
    expect(() => parseExposition(text)).toThrow(error);
  });
});
