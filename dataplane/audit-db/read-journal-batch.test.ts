import { appendFileSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { auditRecord } from '../audit/audit-fixtures.ts';
import { openJournal } from '../audit/journal.ts';
import { MAX_LINE_BYTES } from '../audit/journal-files.ts';
import { START_CURSOR, type JournalCursor } from './journal-cursor.ts';
import { readJournalBatch } from './read-journal-batch.ts';

/** Records 1..n, with the day file changing at `splitAt` (2025-03-04 → 2025-03-05). */
async function journal(n: number, splitAt = Infinity): Promise<string> {
  const dir = tempDir();
  let now = new Date('2025-03-04T12:00:00Z');
  const j = await openJournal({ dir, fsync: false, now: () => now });
  for (let i = 1; i <= n; i++) {
    if (i === splitAt) {
      await j.flush();
      now = new Date('2025-03-05T12:00:00Z');
    }
    j.append(auditRecord(i));
  }
  await j.close();
  return dir;
}

async function readAll(dir: string, batch: number, from: JournalCursor = START_CURSOR) {
  const seqs: number[] = [];
  const notes: string[] = [];
  let cursor = from;
  for (;;) {
    const b = await readJournalBatch(dir, cursor, batch);
    if (b.consumed === 0) return { seqs, notes, cursor };
    seqs.push(...b.lines.map((l) => l.seq));
    notes.push(...b.notes.map((n) => n.kind));
    cursor = b.end;
  }
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('reading journal batches', () => {
  it('reads every line once, in order, across day files, in batches of any size', async () => {
    const dir = await journal(25, 11);
    for (const size of [1, 3, 10, 100]) {
      const all = await readAll(dir, size);
      expect(all.seqs, `batch ${size}`).toEqual(range(1, 25));
      expect(all.notes).toEqual([]);
      expect(all.cursor).toMatchObject({ file: 'audit-2025-03-05.jsonl', seq: 25 });
    }
  });

  it('resumes after the cursor and picks up lines appended later', async () => {
    const dir = await journal(5);
    const first = await readAll(dir, 2);
    const j = await openJournal({ dir, fsync: false, now: () => new Date('2025-03-04T13:00:00Z') });
    j.append(auditRecord(6));
    await j.close();
    expect((await readAll(dir, 2, first.cursor)).seqs).toEqual([6]);
  });

  it('carries on with the next file when the cursor\'s file was archived', async () => {
    const dir = await journal(6, 4);
    const shipped = await readJournalBatch(dir, START_CURSOR, 3);
    renameSync(join(dir, 'audit-2025-03-04.jsonl'), join(dir, 'archived.jsonl.bak'));
    const rest = await readAll(dir, 100, shipped.end);
    expect(rest.seqs).toEqual([4, 5, 6]);
    expect(rest.notes).toEqual([]);
  });

  it('notes a chain break when lines before the next file are missing', async () => {
    const dir = await journal(6, 4);
    const b = await readJournalBatch(dir, START_CURSOR, 2);
    unlinkSync(join(dir, 'audit-2025-03-04.jsonl'));
    const rest = await readAll(dir, 100, b.end);
    expect(rest.seqs).toEqual([4, 5, 6]);
    expect(rest.notes).toEqual(['chain_break']);
  });

  it('starts over when the cursor\'s file shrank (journal replaced)', async () => {
    const dir = await journal(5);
    const { cursor } = await readAll(dir, 100);
    writeFileSync(join(dir, 'audit-2025-03-04.jsonl'), readFileSync(join(dir, 'audit-2025-03-04.jsonl'), 'utf8').split('\n').slice(0, 2).join('\n') + '\n');
    const again = await readAll(dir, 100, cursor);
    expect(again.seqs).toEqual([1, 2]);
    expect(again.notes).toEqual(['restart']);
  });

  it('passes over a line longer than any journal line without buffering it', async () => {
    const dir = await journal(2);
    const file = join(dir, 'audit-2025-03-04.jsonl');
    const [one, two] = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, `${one}\n`);
    appendFileSync(file, Buffer.alloc(MAX_LINE_BYTES + 10, 'x'));
    appendFileSync(file, `\n${two}\n`);
    const all = await readAll(dir, 100);
    expect(all.seqs).toEqual([1, 2]);
    expect(all.notes).toEqual(['skipped']);
  });
});
