import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { validateAuditRecord } from '../../schemas/generated/audit-record.validate.js';
import type { AuditRecordV1 } from '../audit/audit-record.ts';
import { hashLine, listJournalFiles, MAX_LINE_BYTES, parseJournalLine, ZERO_HASH } from '../audit/journal-files.ts';
import type { JournalCursor } from './journal-cursor.ts';

export interface ShippableLine {
  readonly seq: number;
  readonly hash: string;
  readonly record: AuditRecordV1;
}

/** Something about the journal the operator should know; shipping carries on regardless. */
export interface JournalNote {
  readonly kind: 'skipped' | 'chain_break' | 'restart';
  readonly file: string;
  readonly message: string;
}

export interface JournalBatch {
  readonly lines: readonly ShippableLine[];
  /** The cursor after everything this batch consumed (shipped or skipped lines). */
  readonly end: JournalCursor;
  readonly notes: readonly JournalNote[];
  /** Lines were consumed: even a batch of only skipped lines moves the cursor. */
  readonly consumed: number;
}

const CHUNK = 1024 * 1024;

/**
 * Up to `maxLines` complete lines after `cursor`, across day files in chain order. Only lines
 * ending in a newline count (a line being written is picked up next time). A line that is not a
 * valid journal line is skipped and noted, so one damaged line cannot stall shipping; a line whose
 * seq or prev does not continue the chain is shipped and noted (it is evidence, and
 * `aigate audit verify` says what happened). When the cursor's file was shortened or replaced
 * (the journal was reset), reading starts over at the oldest file: inserts are idempotent.
 */
export async function readJournalBatch(dir: string, cursor: JournalCursor, maxLines: number): Promise<JournalBatch> {
  // Listed before reading: the writer starts a new day file only after its last write to the old
  // one, so a file that had a successor when listed is complete once read to its end.
  const files = await listJournalFiles(dir);
  const notes: JournalNote[] = [];
  const lines: ShippableLine[] = [];
  let consumed = 0;
  let place = await startPlace(dir, files, cursor, notes);
  if (place === null) return { lines, end: cursor, notes, consumed };
  let { file, offset } = place;
  let expected = { seq: place.seq, hash: place.hash };
  for (;;) {
    const read = await readLinesFrom(join(dir, file), offset, maxLines - consumed);
    for (const raw of read.lines) {
      consumed++;
      const line = raw === null ? null : parseJournalLine(raw);
      if (raw === null || line === null || !validateAuditRecord(line.record)) {
        notes.push({ kind: 'skipped', file, message: `${file}: a line after seq ${expected.seq} is not a valid journal line and was not shipped (run "aigate audit verify")` });
        continue;
      }
      const hash = hashLine(raw);
      if (line.seq === 1 && line.prev === ZERO_HASH && expected.seq !== 0) {
        notes.push({ kind: 'restart', file, message: `${file}: a new chain starts at seq 1 after seq ${expected.seq} (the journal was reset)` });
      } else if (line.seq !== expected.seq + 1 || line.prev !== expected.hash) {
        notes.push({ kind: 'chain_break', file, message: `${file}: seq ${line.seq} does not continue the chain after seq ${expected.seq} (lines removed, edited or reordered: run "aigate audit verify")` });
      }
      expected = { seq: line.seq, hash };
      lines.push({ seq: line.seq, hash, record: line.record });
    }
    offset = read.offset;
    if (consumed >= maxLines || !read.atEnd) break;
    const next = files[files.indexOf(file) + 1];
    if (next === undefined) break;
    file = next;
    offset = 0;
  }
  return { lines, end: { file, offset, seq: expected.seq, hash: expected.hash }, notes, consumed };
}

/** Where to resume: the cursor, or the oldest file when there is no cursor or its place is gone. */
async function startPlace(dir: string, files: readonly string[], cursor: JournalCursor, notes: JournalNote[]): Promise<{ file: string; offset: number; seq: number; hash: string } | null> {
  const oldest = files[0];
  if (oldest === undefined) return null;
  const fromStart = { file: oldest, offset: 0, seq: 0, hash: ZERO_HASH };
  if (cursor.file === null) return fromStart;
  if (files.includes(cursor.file)) {
    const size = await stat(join(dir, cursor.file)).then((s) => s.size, () => -1);
    if (size >= cursor.offset) return { file: cursor.file, offset: cursor.offset, seq: cursor.seq, hash: cursor.hash };
    notes.push({ kind: 'restart', file: cursor.file, message: `${cursor.file} is shorter than what was already shipped from it: the journal was replaced; shipping again from ${oldest} (rows already in the database are skipped)` });
    return fromStart;
  }
  // The shipped file was archived or deleted: carry on with the next one (the chain check on its
  // first line tells whether anything in between is missing).
  const later = files.find((f) => f > (cursor.file as string));
  if (later !== undefined) return { file: later, offset: 0, seq: cursor.seq, hash: cursor.hash };
  notes.push({ kind: 'restart', file: cursor.file, message: `${cursor.file} is gone and no later journal file exists: the journal was replaced; shipping again from ${oldest}` });
  return fromStart;
}

/**
 * Complete lines from `offset` on, at most `max` of them; null stands for a line longer than any
 * journal line can be (read past, not buffered). `atEnd`: nothing complete is left after `offset`.
 */
async function readLinesFrom(path: string, offset: number, max: number): Promise<{ lines: Array<Buffer | null>; offset: number; atEnd: boolean }> {
  const lines: Array<Buffer | null> = [];
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let pos = offset;
    let done = offset;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let oversized = false;
    while (pos < size && lines.length < max) {
      const chunk = Buffer.alloc(Math.min(CHUNK, size - pos));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(0x0a); nl !== -1 && lines.length < max; nl = data.indexOf(0x0a, start)) {
        const piece = data.subarray(start, nl);
        lines.push(oversized ? null : pendingBytes > 0 ? Buffer.concat([...pending, piece]) : piece);
        pending = [];
        pendingBytes = 0;
        oversized = false;
        done = pos + nl + 1;
        start = nl + 1;
      }
      pos += bytesRead;
      if (lines.length >= max || start === data.length) continue;
      if (!oversized) {
        pending.push(data.subarray(start));
        pendingBytes += data.length - start;
        // A corrupt file can hold gigabytes without a newline: stop buffering, skip to the next one.
        if (pendingBytes > MAX_LINE_BYTES) {
          oversized = true;
          pending = [];
          pendingBytes = 0;
        }
      }
    }
    return { lines, offset: done, atEnd: lines.length < max };
  } finally {
    await handle.close();
  }
}
