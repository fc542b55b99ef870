/**
 * A strict reader of the Prometheus text format, for tests: it parses what `render()` wrote back
 * into families and samples, and throws on anything a Prometheus server would reject (a sample
 * before its TYPE, a repeated HELP or TYPE, bad escapes, non-cumulative histogram buckets).
 */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface ParsedFamily {
  readonly help: string;
  readonly type: string;
  readonly samples: Sample[];
}

export function parseExposition(text: string): Map<string, ParsedFamily> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, ParsedFamily & { help: string; type: string }>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { help: '', type: '', samples: [] }));
    return f;
  };
  for (const [i, line] of text.slice(0, -1).split('\n').entries()) {
    const where = `line ${i + 1}`;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2] as string);
      if (meta[1] === 'HELP') {
        if (f.help !== '') throw new Error(`${where}: second HELP`);
        f.help = unescape(meta[3] as string, false, where);
      } else {
        if (f.type !== '' || f.samples.length > 0) throw new Error(`${where}: TYPE repeated or after samples`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(meta[3] as string)) throw new Error(`${where}: unknown type`);
        f.type = meta[3] as string;
      }
      continue;
    }
    if (line.startsWith('#') || line === '') throw new Error(`${where}: unexpected line`);
    const sample = parseSample(line, where);
    const base = sample.name.replace(/_(bucket|sum|count)$/, '');
    const f = families.get(sample.name)?.type ? families.get(sample.name) : families.get(base);
    if (!f?.type) throw new Error(`${where}: sample ${sample.name} before its TYPE`);
    if (f.type === 'histogram' && !/_(bucket|sum|count)$/.test(sample.name)) throw new Error(`${where}: histogram sample without _bucket/_sum/_count`);
    f.samples.push(sample);
  }
  for (const [name, f] of families) if (f.type === 'histogram') checkHistogram(name, f.samples);
  return families;
}

function parseSample(line: string, where: string): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!m) throw new Error(`${where}: no metric name`);
  const name = m[1] as string;
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos++;
    while (line[pos] !== '}') {
      const l = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(pos));
      if (!l) throw new Error(`${where}: bad label at ${pos}`);
      pos += l[0].length;
      let raw = '';
      while (line[pos] !== '"') {
        if (pos >= line.length) throw new Error(`${where}: unterminated label value`);
        if (line[pos] === '\\') raw += line[pos++];
        raw += line[pos++];
      }
      pos++;
      if (Object.hasOwn(labels, l[1] as string)) throw new Error(`${where}: label ${l[1]} twice`);
      labels[l[1] as string] = unescape(raw, true, where);
      if (line[pos] === ',') pos++;
      else if (line[pos] !== '}') throw new Error(`${where}: expected , or }`);
    }
    pos++;
  }
  const rest = line.slice(pos);
  const v = /^ (\S+)( -?\d+)?$/.exec(rest);
  if (!v) throw new Error(`${where}: bad value "${rest}"`);
  const text = v[1] as string;
  const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : text === 'NaN' ? NaN : Number(text);
  if (Number.isNaN(value) && text !== 'NaN') throw new Error(`${where}: bad number "${text}"`);
  return { name, labels, value };
}

function unescape(text: string, quotes: boolean, where: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quotes) return '"';
    throw new Error(`${where}: bad escape \\${c}`);
  });
}

function checkHistogram(name: string, samples: readonly Sample[]): void {
  const groups = new Map<string, Sample[]>();
  for (const s of samples.filter((x) => x.name === `${name}_bucket`)) {
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${name}: bucket without le`);
    const key = JSON.stringify(rest);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  for (const [key, buckets] of groups) {
    const les = buckets.map((b) => (b.labels['le'] === '+Inf' ? Infinity : Number(b.labels['le'])));
    if (les.at(-1) !== Infinity) throw new Error(`${name}${key}: no +Inf bucket`);
    for (let i = 1; i < buckets.length; i++) {
      if (!((les[i] as number) > (les[i - 1] as number))) throw new Error(`${name}${key}: le not ascending`);
      if ((buckets[i] as Sample).value < (buckets[i - 1] as Sample).value) throw new Error(`${name}${key}: buckets not cumulative`);
    }
    const count = samples.find((s) => s.name === `${name}_count` && JSON.stringify(s.labels) === key);
    if (count?.value !== (buckets.at(-1) as Sample).value) throw new Error(`${name}${key}: +Inf bucket is not the count`);
  }
}
