import { escapeHelp, formatLabels, formatValue, isLabelName, isMetricName } from './exposition.ts';

export type Labels = Readonly<Record<string, string | number>>;

interface MetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[];
}

/** Values read from elsewhere at render time (a journal's health, a cache's counters). */
export type Collect = () => number | ReadonlyArray<readonly [Labels, number]> | null;

export interface Counter {
  inc(labels?: Labels, by?: number): void;
}

export interface Gauge {
  set(labels: Labels, value: number): void;
}

export interface Histogram {
  observe(labels: Labels, value: number): void;
}

export interface Registry {
  counter(options: MetricOptions & { collect?: Collect }): Counter;
  gauge(options: MetricOptions & { collect?: Collect }): Gauge;
  histogram(options: MetricOptions & { buckets: readonly number[] }): Histogram;
  /** The exposition text of every metric, in registration order. */
  render(): string;
  /** Observations dropped because a metric reached its series limit (runaway label values). */
  readonly droppedSeries: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelNames: readonly string[];
  render(out: string[]): void;
}

/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * format. Each metric keeps at most `maxSeries` label combinations: label values must come from
 * bounded sets (providers, decisions, reason codes, rule ids), never from clients, and the cap
 * keeps a mistake from growing memory without end.
 */
export function createRegistry(options: { maxSeries?: number } = {}): Registry {
  const maxSeries = options.maxSeries ?? 2000;
  const families: Family[] = [];
  const names = new Set<string>();
  let dropped = 0;

  const define = (o: MetricOptions, type: Family['type']): readonly string[] => {
    if (!isMetricName(o.name)) throw new TypeError(`metric name "${o.name}" is not valid`);
    if (names.has(o.name)) throw new TypeError(`metric "${o.name}" is already registered`);
    const labelNames = o.labelNames ?? [];
    for (const l of labelNames) if (!isLabelName(l) || (type === 'histogram' && l === 'le')) throw new TypeError(`metric "${o.name}": label name "${l}" is not valid`);
    names.add(o.name);
    return labelNames;
  };

  /** Label values in declared order; a label not declared is a programming error. */
  const keyOf = (name: string, labelNames: readonly string[], labels: Labels): string[] => {
    for (const k of Object.keys(labels)) if (!labelNames.includes(k)) throw new TypeError(`metric "${name}" has no label "${k}"`);
    return labelNames.map((l) => String(labels[l] ?? ''));
  };

  const scalar = (o: MetricOptions & { collect?: Collect }, type: 'counter' | 'gauge') => {
    const labelNames = define(o, type);
    const series = new Map<string, { values: string[]; value: number }>();
    const put = (labels: Labels, update: (old: number) => number): void => {
      const values = keyOf(o.name, labelNames, labels);
      const key = values.join('\u0000');
      const entry = series.get(key);
      if (entry) entry.value = update(entry.value);
      else if (series.size >= maxSeries) dropped++;
      else series.set(key, { values, value: update(0) });
    };
    families.push({
      name: o.name,
      help: o.help,
      type,
      labelNames,
      render(out) {
        const rows: Array<[string[], number]> = [...series.values()].map((s) => [s.values, s.value]);
        const collected = o.collect?.();
        if (typeof collected === 'number') rows.push([[], collected]);
        else if (collected) for (const [labels, value] of collected) rows.push([keyOf(o.name, labelNames, labels), value]);
        for (const [values, value] of sortRows(rows)) out.push(`${o.name}${formatLabels(labelNames, values)} ${formatValue(value)}`);
      },
    });
    return put;
  };

  return {
    counter(o) {
      const put = scalar(o, 'counter');
      return {
        inc(labels = {}, by = 1) {
          // A counter only goes up: a negative or NaN increment is a bug, ignored rather than corrupting it.
          if (by >= 0) put(labels, (v) => v + by);
        },
      };
    },
    gauge(o) {
      const put = scalar(o, 'gauge');
      return { set: (labels, value) => put(labels, () => value) };
    },
    histogram(o) {
      const labelNames = define(o, 'histogram');
      const buckets = [...o.buckets].sort((a, b) => a - b);
      if (buckets.length === 0 || buckets.some((b) => !Number.isFinite(b))) throw new TypeError(`histogram "${o.name}": buckets must be finite numbers`);
      const series = new Map<string, { values: string[]; counts: number[]; sum: number; count: number }>();
      families.push({
        name: o.name,
        help: o.help,
        type: 'histogram',
        labelNames,
        render(out) {
          const les = [...buckets.map(formatValue), '+Inf'];
          const withLe = [...labelNames, 'le'];
          for (const [values, s] of sortRows([...series.values()].map((s) => [s.values, s] as [string[], typeof s]))) {
            let cumulative = 0;
            les.forEach((le, i) => {
              cumulative += s.counts[i] as number;
              out.push(`${o.name}_bucket${formatLabels(withLe, [...values, le])} ${cumulative}`);
            });
            out.push(`${o.name}_sum${formatLabels(labelNames, values)} ${formatValue(s.sum)}`);
            out.push(`${o.name}_count${formatLabels(labelNames, values)} ${s.count}`);
          }
        },
      });
      return {
        observe(labels, value) {
          if (!Number.isFinite(value)) return;
          const values = keyOf(o.name, labelNames, labels);
          const key = values.join('\u0000');
          let s = series.get(key);
          if (!s) {
            if (series.size >= maxSeries) return void dropped++;
            s = { values, counts: new Array<number>(buckets.length + 1).fill(0), sum: 0, count: 0 };
            series.set(key, s);
          }
          let i = 0;
          while (i < buckets.length && value > (buckets[i] as number)) i++;
          s.counts[i] = (s.counts[i] as number) + 1;
          s.sum += value;
          s.count++;
        },
      };
    },
    render() {
      const out: string[] = [];
      for (const f of families) {
        out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
        f.render(out);
      }
      return `${out.join('\n')}\n`;
    },
    get droppedSeries() {
      return dropped;
    },
  };
}

/** Series in a stable order (by label values), so scrapes and tests are deterministic. */
function sortRows<T>(rows: Array<[string[], T]>): Array<[string[], T]> {
  return rows.sort(([a], [b]) => {
    const ka = a.join('\u0000');
    const kb = b.join('\u0000');
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
