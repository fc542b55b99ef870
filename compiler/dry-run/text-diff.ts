/** A changed stretch: `a[aStart, aEnd)` became `b[bStart, bEnd)`. */
export interface Region {
  readonly aStart: number;
  readonly aEnd: number;
  readonly bStart: number;
  readonly bEnd: number;
}

/** Equal runs shorter than this between two edits are folded into one region. */
const MERGE_GAP = 6;
/** Token edits beyond which a stretch is not diffed as a whole (it is cut, or one region). */
const MAX_TOKEN_EDITS = 1024;
/** How many lines one replacement may swallow before the search gives up (PEM blocks are ~30-50). */
const MAX_GROUP_LINES = 256;
/** Lines after a possible end of a changed stretch worth comparing (more: a tie between repeats). */
const LOOKAHEAD_LINES = 16;
const MARKER = /\[REDACTED:[\w.-]+\]/gu;
/** What the diff compares: a whole marker, a whole word (secrets are words), or one other character. */
const TOKEN = /\[REDACTED:[\w.-]+\]|[\p{L}\p{N}_-]+|[\s\S]/gu;

/**
 * Where `b` differs from `a`, for text the redactor changed. Redaction keeps every unchanged line
 * and can only join lines (a match across lines becomes one replacement), so the lines of `b` are
 * the lines of `a` with stretches of changed lines in between, where k lines of `b` stand for k or
 * more lines of `a` (how many more in all is known: the difference in line counts). A changed
 * stretch of as many lines on both sides is compared line by line; one that joined lines is
 * compared as a whole, tokens across its lines, so that which line swallowed which is not guessed.
 */
export function changedRegions(a: string, b: string): Region[] {
  const la = lineStarts(a);
  const lb = lineStarts(b);
  const linesA = a.split('\n');
  const linesB = b.split('\n');
  let budget = la.length - lb.length;
  // More lines after redaction: a replacement inserted newlines; compare the texts as a whole.
  if (budget < 0) return mergeOneSided(tokenRegions(a, 0, a.length, b, 0, b.length));
  // Lines [i, i2) of `a` became lines [j, j2) of `b` (without the newline after the last one).
  const stretch = (i: number, i2: number, j: number, j2: number, tooBig?: () => Region[]) =>
    tokenRegions(a, la[i] ?? a.length, (la[i2] ?? a.length + 1) - 1, b, lb[j] ?? b.length, (lb[j2] ?? b.length + 1) - 1, tooBig);
  const pairs = (i: number, j: number, n: number) => Array.from({ length: n }, (_, k) => stretch(i + k, i + k + 1, j + k, j + k + 1)).flat();
  // A stretch too long to compare as a whole is cut at lines of `b` redacted from one line of `a`.
  const cut = (i: number, j: number, changed: number, joined: number): Region[] => {
    const out: Region[] = [];
    for (const j2 = j + changed; j < j2; ) {
      const [n, extra] = joined > 0 ? resync(linesA, linesB, i, j, joined, j2, true) : [j2 - j, 0];
      for (const r of extra === 0 ? pairs(i, j, n) : stretch(i, i + n + extra, j, j + n)) out.push(r);
      i += n + extra;
      j += n;
      joined -= extra;
    }
    return out;
  };
  const out: Region[] = [];
  let i = 0;
  let j = 0;
  while (j < lb.length) {
    if (linesA[i] === linesB[j]) {
      i++;
      j++;
      continue;
    }
    const [changed, joined] = budget > 0 ? resync(linesA, linesB, i, j, budget, lb.length, false) : [1, 0];
    // A loop, not push(...): thousands of regions would overflow the call's argument limit.
    for (const r of joined === 0 ? pairs(i, j, changed) : stretch(i, i + changed + joined, j, j + changed, () => cut(i, j, changed, joined))) out.push(r);
    i += changed + joined;
    j += changed;
    budget -= joined;
  }
  return mergeOneSided(out);
}

/**
 * The changed stretch starting at line i of `a`, line j of `b` (which differ), within the lines of
 * `b` before `end`: how many lines of `b` it has and how many extra lines of `a` it joined. It ends
 * at the first line of `b` equal to a line of `a` at a possible shift; of several shifts, the one
 * after which most lines are equal (a lone `"` or blank line, even inside a PEM block, is equal at
 * many shifts), then the smallest. No such line: the stretch runs to `end`. When `redacted`
 * (cutting a stretch too long to compare whole), a line redacted from one line of `a` (the text
 * around its markers starts and ends it) also ends the stretch, if the next line matches too. Only
 * then, even as a tie-break: a joined line can look redacted from its first line alone, and a short
 * one like ` [REDACTED:x]k` from an unrelated ` : abc k`, which picks shifts equal lines get right.
 */
function resync(linesA: readonly string[], linesB: readonly string[], i: number, j: number, budget: number, end: number, redacted: boolean): [changed: number, joined: number] {
  const max = Math.min(budget, MAX_GROUP_LINES);
  const around = new Map<number, readonly [string, string] | undefined>();
  // 2 for an equal line, 1 for a line redacted from it, 0 for no match.
  const match = (x: number, y: number): number => {
    const lineA = linesA[x];
    const lineB = linesB[y] as string;
    if (lineA === undefined) return 0;
    if (lineA === lineB) return 2;
    if (!redacted) return 0;
    if (!around.has(y)) around.set(y, outsideMarkers(lineB));
    const ends = around.get(y);
    return ends && lineA.length > ends[0].length + ends[1].length && lineA.startsWith(ends[0]) && lineA.endsWith(ends[1]) ? 1 : 0;
  };
  for (let jj = j + 1; jj < end; jj++) {
    const at = i + jj - j;
    let best = -1;
    let bestScore = 1;
    for (let shift = 0; shift <= max; shift++) {
      let score = 0;
      for (let m = 0; m < LOOKAHEAD_LINES && jj + m < linesB.length; m++) {
        const add = match(at + shift + m, jj + m);
        if (add === 0) break;
        score += add;
      }
      if (score > bestScore) {
        best = shift;
        bestScore = score;
      }
    }
    if (best >= 0) return [jj - j, best];
  }
  return [end - j, budget];
}

/** The text before the first and after the last marker of a line; undefined without one. */
function outsideMarkers(line: string): readonly [string, string] | undefined {
  const found = [...line.matchAll(MARKER)];
  const first = found[0];
  const last = found.at(-1);
  return first && last ? [line.slice(0, first.index), line.slice(last.index + last[0].length)] : undefined;
}

/**
 * Regions of one changed stretch, from a diff of tokens. Default replacements leave `[REDACTED:<id>]`
 * markers, compared as whole tokens, and secrets are compared as whole words: a diff of characters
 * aligns on the letters a marker or a custom replacement shares with a secret (`pypi-`, the `:` in
 * `[REDACTED:x]`), which steals the real unchanged text around a replacement and shifts every
 * boundary after it (a secret folded into its neighbour's region, a bogus region on an unchanged
 * `:`). An equal run touching a marker is real unchanged text next to a replacement, however short;
 * other runs count from MERGE_GAP characters (a custom replacement may share a word with its secret).
 * The ends of each region are then trimmed to characters (`token` stays out of `tokenglpat-…`).
 * Past MAX_TOKEN_EDITS, `tooBig` decides; by default the stretch is one region.
 */
function tokenRegions(a: string, as: number, ae: number, b: string, bs: number, be: number, tooBig?: () => Region[]): Region[] {
  const markers = [...b.slice(bs, be).matchAll(MARKER)].map((m) => [bs + m.index, bs + m.index + m[0].length] as const);
  const whole = trimEnds(a, as, ae, b, bs, be, markers);
  if (!whole) return [];
  [as, ae, bs, be] = [whole.aStart, whole.aEnd, whole.bStart, whole.bEnd];
  if (as === ae || bs === be) return [whole];
  const ids = new Map<string, number>();
  const ta = tokenize(a, as, ae, ids);
  const tb = tokenize(b, bs, be, ids);
  const runs = matchRuns(ta.ids.length, tb.ids.length, (x, y) => ta.ids[x] === tb.ids[y], MAX_TOKEN_EDITS);
  if (!runs) return tooBig?.() ?? [whole];
  const kept = runs
    .map(([x, y, n]) => [ta.starts[x] ?? ae, tb.starts[y] ?? be, (ta.starts[x + n] ?? ae) - (ta.starts[x] ?? ae)] as const)
    .filter(([, y, len]) => len >= MERGE_GAP || markers.some(([s, e]) => y === e || y + len === s));
  const out: Region[] = [];
  let x = as;
  let y = bs;
  for (const [rx, ry, len] of [...kept, [ae, be, 0] as const]) {
    const region = rx > x || ry > y ? trimEnds(a, x, rx, b, y, ry, markers) : undefined;
    if (region) out.push(region);
    x = rx + len;
    y = ry + len;
  }
  return out;
}

/** a[as, ae) → b[bs, be) without its equal ends, which stop at a marker; undefined when all equal. */
function trimEnds(a: string, as: number, ae: number, b: string, bs: number, be: number, markers: readonly (readonly [number, number])[]): Region | undefined {
  // `[RED…` or `…]` in the original is no part of a marker next to it.
  const headEnd = markers.find(([s]) => s >= bs)?.[0] ?? be;
  const tailStart = markers.findLast(([, e]) => e <= be)?.[1] ?? bs;
  while (as < ae && bs < Math.min(be, headEnd) && a.charCodeAt(as) === b.charCodeAt(bs)) { as++; bs++; }
  while (ae > as && be > Math.max(bs, tailStart) && a.charCodeAt(ae - 1) === b.charCodeAt(be - 1)) { ae--; be--; }
  return as === ae && bs === be ? undefined : { aStart: as, aEnd: ae, bStart: bs, bEnd: be };
}

/** Tokens of text[from, to): where each starts (then `to`), and ids equal for equal tokens. */
function tokenize(text: string, from: number, to: number, ids: Map<string, number>): { starts: number[]; ids: Int32Array } {
  const starts: number[] = [];
  const out: number[] = [];
  for (const m of text.slice(from, to).matchAll(TOKEN)) {
    starts.push(from + m.index);
    let id = ids.get(m[0]);
    if (id === undefined) ids.set(m[0], (id = ids.size));
    out.push(id);
  }
  starts.push(to);
  return { starts, ids: Int32Array.from(out) };
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
