/** A changed stretch: `a[aStart, aEnd)` became `b[bStart, bEnd)`. */
export interface Region {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
}

/** Equal runs shorter than this between two edits are folded into one region. */
const MERGE_GAP = 6;
/** Edit distance beyond which a stretch is reported as one region instead of diffed further. */
const MAX_CHAR_EDITS = 1024;
/** How many lines one replacement may swallow before the search gives up (PEM blocks are ~30-50). */
const MAX_GROUP_LINES = 256;
const MARKER = /\[REDACTED:[\w.-]+\]/gu;

/**
 * Where `b` differs from `a`, for text the redactor changed. Redaction keeps every unchanged line
 * and can only join lines (a match across lines becomes one replacement), so each line of `b` is
 * one line of `a` or a run of consecutive lines of `a`. Lines are grouped that way (the number of
 * joined lines is known: the difference in line counts), then characters are compared inside each
 * changed group.
 */
export function changedRegions(a: string, b: string): Region[] {
  const la = lineStarts(a);
  const lb = lineStarts(b);
  const lineA = (i: number) => a.slice(la[i], (la[i + 1] ?? a.length + 1) - 1);
  const lineB = (j: number) => b.slice(lb[j], (lb[j + 1] ?? b.length + 1) - 1);
  let budget = la.length - lb.length;
  // More lines after redaction: a replacement inserted newlines; compare the texts as a whole.
  if (budget < 0) return charRegions(a, 0, a.length, b, 0, b.length);
  const out: Region[] = [];
  let i = 0;
  for (let j = 0; j < lb.length; j++) {
    const bj = lineB(j);
    let t = 0;
    if (j === lb.length - 1) t = budget;
    else if (budget > 0 && lineA(i) !== bj) t = bestGroup(lineA, lineB, i, j, Math.min(budget, MAX_GROUP_LINES), bj);
    const as = la[i] ?? a.length;
    const ae = Math.min(a.length, (la[i + t + 1] ?? a.length + 1) - 1);
    const bs = lb[j] ?? b.length;
    if (t > 0 || lineA(i) !== bj) out.push(...charRegions(a, as, ae, b, bs, bs + bj.length));
    i += t + 1;
    budget -= t;
  }
  return mergeOneSided(out);
}

/**
 * How many extra lines of `a` line j of `b` swallowed: the count after which the next lines agree
 * again; failing that, the one after which the next lines start alike and line j ends like the
 * group's last line (text before and after a match is unchanged).
 */
function bestGroup(lineA: (i: number) => string, lineB: (j: number) => string, i: number, j: number, max: number, bj: string): number {
  const next = lineB(j + 1);
  let best = 0;
  let bestScore = -1;
  for (let t = 0; t <= max; t++) {
    const after = lineA(i + t + 1);
    const score = (after === next ? 1_000_000 : 0) + commonPrefix(after, next) + commonSuffix(lineA(i + t), bj);
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return best;
}

function commonPrefix(x: string, y: string): number {
  let n = 0;
  while (n < x.length && n < y.length && x.charCodeAt(n) === y.charCodeAt(n)) n++;
  return n;
}

function commonSuffix(x: string, y: string): number {
  let n = 0;
  while (n < x.length && n < y.length && x.charCodeAt(x.length - 1 - n) === y.charCodeAt(y.length - 1 - n)) n++;
  return n;
}

/**
 * Character regions of one line group. Default replacements leave `[REDACTED:<id>]` markers, which
 * the diff compares as whole tokens: a marker character equal to a character of the original is a
 * coincidence (`pypi-`, the `:` of `key: value`), and letting the diff align on it steals the real
 * unchanged text around a replacement, shifting every boundary after it (a secret folded into its
 * neighbour's region, a bogus region on an unchanged `:`). An equal run touching a marker is real
 * unchanged text next to a replacement, however short. Other runs count from MERGE_GAP characters
 * (a custom replacement may share a few letters with its secret).
 */
function charRegions(a: string, as: number, ae: number, b: string, bs: number, be: number): Region[] {
  const found = [...b.slice(bs, be).matchAll(MARKER)].map((m) => [bs + m.index, bs + m.index + m[0].length] as const);
  // The common ends stop at a marker too: `[RED…` or `…]` in the original is no part of it.
  const headEnd = found[0]?.[0] ?? be;
  const tailStart = found.at(-1)?.[1] ?? bs;
  while (as < ae && bs < headEnd && a.charCodeAt(as) === b.charCodeAt(bs)) { as++; bs++; }
  while (ae > as && be > Math.max(bs, tailStart) && a.charCodeAt(ae - 1) === b.charCodeAt(be - 1)) { ae--; be--; }
  if (as === ae && bs === be) return [];
  const markers = found.map(([s, e]) => [s - bs, e - bs] as const);
  const runs = as === ae || bs === be ? [] : matchRuns(ae - as, be - bs, markerEq(a, as, ae, b, bs, be, markers), MAX_CHAR_EDITS);
  if (!runs) return [{ aStart: as, aEnd: ae, bStart: bs, bEnd: be }];
  const kept = runs.filter(([, y, len]) => {
    // Only part of a marker equal: the diff entered the original's copy of it sideways; call it changed.
    if (markers.some(([s, e]) => y < e && s < y + len && (s < y || y + len < e))) return false;
    return len >= MERGE_GAP || markers.some(([s, e]) => y === e || y + len === s);
  });
  const out: Region[] = [];
  let x = 0;
  let y = 0;
  for (const [rx, ry, len] of kept) {
    if (rx > x || ry > y) out.push({ aStart: as + x, aEnd: as + rx, bStart: bs + y, bEnd: bs + ry });
    x = rx + len;
    y = ry + len;
  }
  if (x < ae - as || y < be - bs) out.push({ aStart: as + x, aEnd: ae, bStart: bs + y, bEnd: be });
  return out;
}

/**
 * Equality for the diff of a[as, ae) with b[bs, be), `markers` relative to bs: a character of a
 * marker equals a character of the original only where the original holds the whole marker at the
 * same alignment (the text already said `[REDACTED:x]`, unchanged).
 */
function markerEq(a: string, as: number, ae: number, b: string, bs: number, be: number, markers: readonly (readonly [number, number])[]): (i: number, j: number) => boolean {
  if (markers.length === 0) return (i, j) => a.charCodeAt(as + i) === b.charCodeAt(bs + j);
  const owner = new Int32Array(be - bs).fill(-1);
  const copies = markers.map(([s, e], k) => {
    owner.fill(k, s, e);
    const token = b.slice(bs + s, bs + e);
    const at = new Set<number>();
    for (let p = a.indexOf(token, as); p >= 0 && p + token.length <= ae; p = a.indexOf(token, p + 1)) at.add(p - as);
    return at;
  });
  return (i, j) => {
    const k = owner[j] ?? -1;
    if (k < 0) return a.charCodeAt(as + i) === b.charCodeAt(bs + j);
    return copies[k]?.has(i - (j - (markers[k]?.[0] ?? 0))) ?? false;
  };
}

/**
 * Folds a one-sided region (only deleted or only inserted text, what a shifted alignment or a match
 * across lines leaves behind) into its neighbour when less than MERGE_GAP unchanged characters
 * separate them: it belongs to the same replacement.
 */
function mergeOneSided(regions: readonly Region[]): Region[] {
  const out: Region[] = [];
  const oneSided = (x: Region) => x.aStart === x.aEnd || x.bStart === x.bEnd;
  for (const r of regions) {
    const prev = out.at(-1);
    if (prev && (oneSided(prev) || oneSided(r)) && r.aStart - prev.aEnd < MERGE_GAP) {
      out[out.length - 1] = { aStart: prev.aStart, aEnd: r.aEnd, bStart: prev.bStart, bEnd: r.bEnd };
    } else out.push(r);
  }
  return out;
}

/** A run of equal items: a[x, x+len) equals b[y, y+len). */
type Run = readonly [x: number, y: number, len: number];

/**
 * Myers' O((N+M)D) diff as a list of equal runs in order, or undefined when more than `maxD` edits
 * are needed (the caller then treats the whole stretch as changed).
 */
export function matchRuns(n: number, m: number, eq: (i: number, j: number) => boolean, maxD: number): Run[] | undefined {
  const limit = Math.min(n + m, maxD);
  const trace: Int32Array[] = [];
  let v = new Int32Array(3);
  for (let d = 0; d <= limit; d++) {
    const next = new Int32Array(2 * d + 3);
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && at(v, d - 1, k - 1) < at(v, d - 1, k + 1));
      let x = down ? at(v, d - 1, k + 1) : at(v, d - 1, k - 1) + 1;
      let y = x - k;
      while (x < n && y < m && eq(x, y)) { x++; y++; }
      next[k + d + 1] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        return backtrack(trace, n, m);
      }
    }
    trace.push(next);
    v = next;
  }
  return undefined;
}

/** V[k] after step d (the array of step d covers k = -d-1 … d+1; before step 0, x = 0). */
function at(v: Int32Array, d: number, k: number): number {
  if (d < 0) return 0;
  return v[k + d + 1] ?? 0;
}

function backtrack(trace: readonly Int32Array[], n: number, m: number): Run[] {
  const runs: Run[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && at(prev, d - 1, k - 1) < at(prev, d - 1, k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prev, d - 1, prevK);
    const startX = down ? prevX : prevX + 1;
    if (x > startX) runs.push([startX, startX - k, x - startX]);
    x = prevX;
    y = prevX - prevK;
  }
  if (x > 0) runs.push([0, 0, x]);
  return runs.reverse();
}

/** Offsets where each line starts (line i is text[starts[i], starts[i+1] - 1)). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
