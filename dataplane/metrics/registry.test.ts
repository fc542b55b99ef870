import { describe, expect, it } from 'vitest';
import { parseExposition } from './parse-exposition.ts';
import { createRegistry } from './registry.ts';

describe('metrics registry', () => {
  it('renders HELP, TYPE and samples that parse back to the same values', () => {
    const r = createRegistry();
    const c = r.counter({ name: 'x_requests_total', help: 'Requests.', labelNames: ['provider', 'status'] });
    c.inc({ provider: 'anthropic', status: 200 });
    c.inc({ provider: 'anthropic', status: 200 }, 2);
    c.inc({ provider: 'openai', status: 429 });
    const g = r.gauge({ name: 'x_serial', help: 'Serial.' });
    g.set({}, 42);
    const text = r.render();
    expect(text).toBe(
      [
        '# HELP x_requests_total Requests.',
        '# TYPE x_requests_total counter',
        'x_requests_total{provider="anthropic",status="200"} 3',
        'x_requests_total{provider="openai",status="429"} 1',
        '# HELP x_serial Serial.',
        '# TYPE x_serial gauge',
        'x_serial 42',
        '',
      ].join('\n'),
    );
    const parsed = parseExposition(text);
    expect(parsed.get('x_requests_total')?.samples).toEqual([
      { name: 'x_requests_total', labels: { provider: 'anthropic', status: '200' }, value: 3 },
      { name: 'x_requests_total', labels: { provider: 'openai', status: '429' }, value: 1 },
    ]);
  });

  it('escapes label values and help text so any value round-trips', () => {
    const r = createRegistry();
    const nasty = ['back\\slash', 'quote"d', 'new\nline', 'all \\"\n of them \\n', 'unicode ✓ é', '}{,=', ''];
    const c = r.counter({ name: 'x_total', help: 'Help with \\ backslash\nand "quotes".', labelNames: ['v'] });
    for (const v of nasty) c.inc({ v });
    const text = r.render();
    expect(text).toContain('# HELP x_total Help with \\\\ backslash\\nand "quotes".\n');
    expect(text).toContain('x_total{v="quote\\"d"} 1');
    const parsed = parseExposition(text).get('x_total');
    expect(parsed?.help).toBe('Help with \\ backslash\nand "quotes".');
    expect(parsed?.samples.map((s) => s.labels['v']).sort()).toEqual([...nasty].sort());
  });

  it('renders histograms as cumulative buckets with +Inf, sum and count', () => {
    const r = createRegistry();
    const h = r.histogram({ name: 'x_seconds', help: 'Latency.', labelNames: ['provider'], buckets: [1, 0.1, 0.5] });
    for (const v of [0.05, 0.1, 0.3, 0.7, 2, 30]) h.observe({ provider: 'anthropic' }, v);
    h.observe({ provider: 'anthropic' }, Number.NaN);
    const text = r.render();
    expect(text).toContain(
      [
        'x_seconds_bucket{provider="anthropic",le="0.1"} 2',
        'x_seconds_bucket{provider="anthropic",le="0.5"} 3',
        'x_seconds_bucket{provider="anthropic",le="1"} 4',
        'x_seconds_bucket{provider="anthropic",le="+Inf"} 6',
        'x_seconds_sum{provider="anthropic"} 33.15',
        'x_seconds_count{provider="anthropic"} 6',
      ].join('\n'),
    );
    expect(parseExposition(text).get('x_seconds')?.type).toBe('histogram');
  });

  it('reads collected values at render time and formats special numbers', () => {
    const r = createRegistry();
    let lag = 5;
    r.gauge({ name: 'x_lag', help: 'Lag.', collect: () => lag });
    r.gauge({ name: 'x_ratio', help: 'Ratio.', labelNames: ['cache'], collect: () => [[{ cache: 'token' }, 0.25], [{ cache: 'project' }, Infinity]] });
    r.gauge({ name: 'x_absent', help: 'No source.', collect: () => null });
    expect(r.render()).toContain('x_lag 5\n');
    lag = 7;
    const text = r.render();
    expect(text).toContain('x_lag 7\n');
    expect(text).toContain('x_ratio{cache="project"} +Inf\nx_ratio{cache="token"} 0.25\n');
    expect(text).toContain('# TYPE x_absent gauge\n');
    expect(parseExposition(text).get('x_absent')?.samples).toEqual([]);
  });

  it('caps the series of a metric and counts what it dropped', () => {
    const r = createRegistry({ maxSeries: 3 });
    const c = r.counter({ name: 'x_total', help: 'h', labelNames: ['k'] });
    for (let i = 0; i < 10; i++) c.inc({ k: i });
    c.inc({ k: 0 });
    expect(parseExposition(r.render()).get('x_total')?.samples.map((s) => s.value)).toEqual([2, 1, 1]);
    expect(r.droppedSeries).toBe(7);
  });

  it('refuses bad names, unknown labels, duplicates and negative counter increments', () => {
    const r = createRegistry();
    expect(() => r.counter({ name: '1bad', help: 'h' })).toThrow(TypeError);
    expect(() => r.counter({ name: 'x', help: 'h', labelNames: ['__reserved'] })).toThrow(TypeError);
    expect(() => r.histogram({ name: 'y', help: 'h', labelNames: ['le'], buckets: [1] })).toThrow(TypeError);
    const c = r.counter({ name: 'ok_total', help: 'h', labelNames: ['a'] });
    expect(() => r.gauge({ name: 'ok_total', help: 'h' })).toThrow(/already registered/);
    expect(() => c.inc({ b: 'x' })).toThrow(/no label "b"/);
    c.inc({ a: 'x' }, 5);
    c.inc({ a: 'x' }, -3);
    expect(r.render()).toContain('ok_total{a="x"} 5');
  });
});
