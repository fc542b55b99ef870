/**
 * The `diff` text of GitLab's compare/diff entries: unified hunks (3 lines of context) without
 * the ---/+++ header, as git prints them. LCS-based; good enough for test-sized files.
 */
export function unifiedDiff(oldText: string, newText: string, context = 3): string {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const ops = editScript(a, b);
  const changes = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]));
  if (changes.length === 0) return '';
  const out: string[] = [];
  let i = 0;
  while (i < changes.length) {
    const first = changes[i] ?? 0;
    let last = first;
    // Changes closer than 2×context share one hunk, as in git.
    while (i + 1 < changes.length && (changes[i + 1] ?? 0) - last <= 2 * context) last = changes[++i] ?? last;
    i++;
    const slice = ops.slice(Math.max(0, first - context), Math.min(ops.length, last + context + 1));
    out.push(hunk(slice));
  }
  return out.join('');
}

interface Op {
  readonly kind: ' ' | '-' | '+';
  readonly line: string;
  readonly oldNo: number;
  readonly newNo: number;
}

/** Lines keep their `\n`, so "last line without newline" differs from the same text with one. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((l) => `${l}\n`);
  const lastLine = lines[lines.length - 1] ?? '';
  if (text.endsWith('\n')) lines.pop();
  else lines[lines.length - 1] = lastLine.slice(0, -1);
  return lines;
}

function editScript(a: string[], b: string[]): Op[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;
  const midA = a.slice(pre, a.length - suf);
  const midB = b.slice(pre, b.length - suf);
  const ops: Op[] = [];
  for (let k = 0; k < pre; k++) ops.push({ kind: ' ', line: a[k] ?? '', oldNo: k + 1, newNo: k + 1 });
  for (const op of middle(midA, midB)) ops.push({ ...op, oldNo: op.oldNo + pre, newNo: op.newNo + pre });
  for (let k = suf; k > 0; k--) ops.push({ kind: ' ', line: a[a.length - k] ?? '', oldNo: a.length - k + 1, newNo: b.length - k + 1 });
  return ops;
}

function middle(a: string[], b: string[]): Op[] {
  const ops: Op[] = [];
  // Beyond a few million cells a whole replacement is an acceptable (still valid) diff.
  if (a.length * b.length > 4_000_000) {
    a.forEach((line, k) => ops.push({ kind: '-', line, oldNo: k + 1, newNo: 0 }));
    b.forEach((line, k) => ops.push({ kind: '+', line, oldNo: a.length, newNo: k + 1 }));
    return ops;
  }
  const w = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * w);
  for (let x = a.length - 1; x >= 0; x--) {
    for (let y = b.length - 1; y >= 0; y--) {
      lcs[x * w + y] = a[x] === b[y] ? (lcs[(x + 1) * w + y + 1] ?? 0) + 1 : Math.max(lcs[(x + 1) * w + y] ?? 0, lcs[x * w + y + 1] ?? 0);
    }
  }
  let x = 0;
  let y = 0;
  // On ties take the deletion first: git prints - lines before + lines.
  while (x < a.length || y < b.length) {
    if (x < a.length && y < b.length && a[x] === b[y]) ops.push({ kind: ' ', line: a[x++] ?? '', oldNo: x, newNo: ++y });
    else if (y < b.length && (x === a.length || (lcs[x * w + y + 1] ?? 0) > (lcs[(x + 1) * w + y] ?? 0))) ops.push({ kind: '+', line: b[y++] ?? '', oldNo: x, newNo: y });
    else ops.push({ kind: '-', line: a[x++] ?? '', oldNo: x, newNo: y });
  }
  return ops;
}

function hunk(ops: Op[]): string {
  const olds = ops.filter((o) => o.kind !== '+');
  const news = ops.filter((o) => o.kind !== '-');
  const first = ops[0];
  // An empty side starts at the line before the hunk (git prints -0,0 for a new file).
  const oldStart = olds[0]?.oldNo ?? first?.oldNo ?? 0;
  const newStart = news[0]?.newNo ?? first?.newNo ?? 0;
  let text = `@@ -${range(oldStart, olds.length)} +${range(newStart, news.length)} @@\n`;
  for (const op of ops) {
    text += op.line.endsWith('\n') ? `${op.kind}${op.line}` : `${op.kind}${op.line}\n\\ No newline at end of file\n`;
  }
  return text;
}

function range(start: number, length: number): string {
  return length === 1 ? `${start}` : `${start},${length}`;
}
