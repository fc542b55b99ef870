import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { auditRecord, manualClock } from './audit-fixtures.ts';
import { HEAD_FILE } from './journal-files.ts';
import { openJournal } from './journal.ts';
import { verifyJournal } from './verify-journal.ts';

const DAYS = ['audit-2025-03-04.jsonl', 'audit-2025-03-05.jsonl', 'audit-2025-03-06.jsonl'] as const;
const [DAY1, DAY2, DAY3] = DAYS;

/** Three day files of four lines each: seq 1-4, 5-8, 9-12. */
async function journal(): Promise<string> {
  const dir = tempDir();
  const clock = manualClock('2025-03-04T10:00:00Z');
  const j = await openJournal({ dir, now: clock.now, fsync: false });
  for (let day = 0; day < 3; day++) {
    clock.set(`2025-03-0${4 + day}T10:00:00Z`);
    for (let i = 1; i <= 4; i++) j.append(auditRecord(day * 4 + i));
    await j.flush();
  }
  await j.close();
  return dir;
}

function editLines(dir: string, file: string, edit: (lines: string[]) => string[]): void {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n').slice(0, -1);
  writeFileSync(join(dir, file), edit(lines).map((l) => `${l}\n`).join(''));
}

describe('verifyJournal', () => {
  it('accepts an intact journal', async () => {
    const dir = await journal();
    expect(await verifyJournal(dir)).toEqual({ ok: true, files: 3, records: 12, lastSeq: 12, torn: [] });
  });

  it('accepts an empty directory', async () => {
    expect(await verifyJournal(tempDir())).toEqual({ ok: true, files: 0, records: 0, lastSeq: 0, torn: [] });
  });

  it('names the line in which one byte was edited, not the one after it', async () => {
    const dir = await journal();
    editLines(dir, DAY2, (lines) => lines.map((l, i) => (i === 1 ? l.replace('"alice"', '"alicf"') : l)));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'edited', file: DAY2, line: 2, seq: 6 });
  });

  it('catches an edit in the last line of a file through the next file', async () => {
    const dir = await journal();
    editLines(dir, DAY1, (lines) => lines.map((l, i) => (i === 3 ? l.replace('"status":200', '"status":201') : l)));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'edited', file: DAY1, line: 4, seq: 4 });
  });

  it('catches an edit in the very last line through the head file', async () => {
    const dir = await journal();
    editLines(dir, DAY3, (lines) => lines.map((l, i) => (i === 3 ? l.replace('"bytes_in":100', '"bytes_in":1') : l)));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'edited', file: DAY3, line: 4, seq: 12 });
  });

  it('reports a removed middle line', async () => {
    const dir = await journal();
    editLines(dir, DAY2, (lines) => lines.filter((_, i) => i !== 1));
    const result = await verifyJournal(dir);
    expect(result.problem).toMatchObject({ kind: 'removed', file: DAY2, line: 2, seq: 7 });
    expect(result.problem?.message).toContain('seq 6 is missing');
  });

  it('reports two swapped lines as reordered', async () => {
    const dir = await journal();
    editLines(dir, DAY2, ([a, b, c, d]) => [a, c, b, d] as string[]);
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'reordered', file: DAY2, line: 2, seq: 7 });
  });

  it('reports a line moved to a later file as reordered', async () => {
    const dir = await journal();
    let moved = '';
    editLines(dir, DAY1, (lines) => lines.filter((l, i) => (i === 2 ? ((moved = l), false) : true)));
    editLines(dir, DAY3, (lines) => [...lines, moved]);
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'reordered', file: DAY1, line: 3, seq: 4 });
  });

  it('reports a truncated last line', async () => {
    const dir = await journal();
    const path = join(dir, DAY3);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 30));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'truncated', file: DAY3, line: 4 });
  });

  it('reports a removed last line through the head file', async () => {
    const dir = await journal();
    editLines(dir, DAY3, (lines) => lines.slice(0, -1));
    const result = await verifyJournal(dir);
    expect(result.problem).toMatchObject({ kind: 'truncated', file: DAY3, line: 4, seq: 12 });
    expect(result.problem?.message).toContain('journal.head.json records seq 12');
  });

  it('reports a removed last file through the head file', async () => {
    const dir = await journal();
    unlinkSync(join(dir, DAY3));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'truncated', file: DAY3, line: 1, seq: 9 });
  });

  it('reports a malformed line and a record failing the schema', async () => {
    const dir = await journal();
    editLines(dir, DAY2, (lines) => lines.map((l, i) => (i === 2 ? l.slice(0, 40) : l)));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'malformed', file: DAY2, line: 3 });

    const other = await journal();
    editLines(other, DAY1, (lines) => lines.map((l, i) => (i === 1 ? l.replace('"decision":"allow"', '"decision":"maybe"') : l)));
    const result = await verifyJournal(other);
    expect(result.problem).toMatchObject({ kind: 'malformed', file: DAY1, line: 2, seq: 2 });
    expect(result.problem?.message).toContain('/decision');
  });

  it('reports a removed first file', async () => {
    const dir = await journal();
    unlinkSync(join(dir, DAY1));
    const result = await verifyJournal(dir);
    expect(result.problem).toMatchObject({ kind: 'removed', file: DAY2, line: 1, seq: 5 });
    expect(result.problem?.message).toContain('starts at seq 5');
  });

  it('reports a removed middle file', async () => {
    const dir = await journal();
    unlinkSync(join(dir, DAY2));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'removed', file: DAY3, line: 1, seq: 9 });
  });

  it('reports a changed seq whose prev still matches as an edit of that line', async () => {
    const dir = await journal();
    editLines(dir, DAY1, (lines) => lines.map((l, i) => (i === 1 ? l.replace('{"seq":2,', '{"seq":3,') : l)));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'edited', file: DAY1, line: 2, seq: 3 });
  });

  it('reports a missing or unreadable head file', async () => {
    const dir = await journal();
    writeFileSync(join(dir, HEAD_FILE), '{"file":');
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'malformed', file: HEAD_FILE });
    unlinkSync(join(dir, HEAD_FILE));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'truncated', file: HEAD_FILE });
  });

  it('streams files larger than its read chunks, with lines crossing chunk borders', async () => {
    const dir = tempDir();
    const j = await openJournal({ dir, now: () => new Date('2025-03-04T10:00:00Z'), fsync: false, maxBatch: 1000 });
    for (let i = 1; i <= 3000; i++) j.append(auditRecord(i, { withheld_paths: [`src/${'x'.repeat(i % 97)}.ts`] }));
    await j.close();
    expect(readFileSync(join(dir, DAY1)).length).toBeGreaterThan(3 * 64 * 1024);
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, records: 3000 });
    editLines(dir, DAY1, (lines) => lines.map((l, i) => (i === 2500 ? l.replace('req-2501', 'req-2502') : l)));
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'edited', line: 2501, seq: 2501 });
  });
});
