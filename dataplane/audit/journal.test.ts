import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { auditRecord, manualClock, parsedLines, rawLines } from './audit-fixtures.ts';
import { HEAD_FILE, ZERO_HASH, hashLine } from './journal-files.ts';
import { openJournal } from './journal.ts';
import { verifyJournal } from './verify-journal.ts';

const DAY1 = 'audit-2025-03-04.jsonl';
const DAY2 = 'audit-2025-03-05.jsonl';

async function until(check: () => boolean, ms = 2000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(5)) if (Date.now() > end) throw new Error('timed out');
}

describe('openJournal', () => {
  it('chains every line to the one before, seq rising by one, one JSON line per record', async () => {
    const dir = tempDir();
    const clock = manualClock('2025-03-04T10:00:00Z');
    const journal = await openJournal({ dir, now: clock.now, fsync: false, maxBatch: 7 });
    for (let i = 1; i <= 100; i++) expect(journal.append(auditRecord(i))).toBe(true);
    await journal.close();
    const lines = rawLines(dir, DAY1);
    expect(lines).toHaveLength(100);
    let prev = ZERO_HASH;
    lines.forEach((text, i) => {
      const line = JSON.parse(text);
      expect(text).toBe(JSON.stringify({ seq: i + 1, prev, record: auditRecord(i + 1) }));
      expect(line.seq).toBe(i + 1);
      prev = hashLine(text);
    });
    expect(JSON.parse(readFileSync(join(dir, HEAD_FILE), 'utf8'))).toEqual({ file: DAY1, seq: 100, hash: prev });
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, records: 100, lastSeq: 100, files: 1 });
  });

  it('rotates at the UTC date change and continues the chain in the new file', async () => {
    const dir = tempDir();
    const clock = manualClock('2025-03-04T23:59:59.900Z');
    const journal = await openJournal({ dir, now: clock.now, fsync: false });
    for (let i = 1; i <= 3; i++) journal.append(auditRecord(i));
    await journal.flush();
    clock.set('2025-03-05T00:00:00.100Z');
    for (let i = 4; i <= 6; i++) journal.append(auditRecord(i));
    await journal.flush();
    expect(journal.health().file).toBe(join(dir, DAY2));
    await journal.close();
    const first = rawLines(dir, DAY1);
    const second = parsedLines(dir, DAY2);
    expect(first).toHaveLength(3);
    expect(second.map((l) => l.seq)).toEqual([4, 5, 6]);
    expect(second[0]?.prev).toBe(hashLine(first[2] as string));
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, files: 2, records: 6 });
  });

  it('keeps writing to the newer file when the clock steps back a day', async () => {
    const dir = tempDir();
    const clock = manualClock('2025-03-05T00:00:01Z');
    const journal = await openJournal({ dir, now: clock.now, fsync: false });
    journal.append(auditRecord(1));
    await journal.flush();
    clock.set('2025-03-04T23:59:59Z');
    journal.append(auditRecord(2));
    await journal.close();
    expect(existsSync(join(dir, DAY1))).toBe(false);
    expect(parsedLines(dir, DAY2).map((l) => l.seq)).toEqual([1, 2]);
  });

  it('continues the chain when reopened', async () => {
    const dir = tempDir();
    const clock = manualClock('2025-03-04T10:00:00Z');
    const first = await openJournal({ dir, now: clock.now, fsync: false });
    first.append(auditRecord(1));
    first.append(auditRecord(2));
    await first.close();
    clock.set('2025-03-05T10:00:00Z');
    const second = await openJournal({ dir, now: clock.now, fsync: false });
    expect(second.health()).toMatchObject({ writable: true, lastSeq: 2, file: join(dir, DAY1) });
    second.append(auditRecord(3));
    await second.close();
    const [line] = parsedLines(dir, DAY2);
    expect(line?.seq).toBe(3);
    expect(line?.prev).toBe(hashLine(rawLines(dir, DAY1)[1] as string));
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, records: 3 });
  });

  it('keeps the order of appends from many concurrent callers and loses none', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, now: () => new Date('2025-03-04T10:00:00Z'), fsync: true, flushIntervalMs: 2, maxBatch: 16 });
    const order: string[] = [];
    const caller = async (c: number): Promise<void> => {
      for (let i = 0; i < 40; i++) {
        const id = `c${c}-${i}`;
        order.push(id);
        journal.append(auditRecord(0, { request_id: id }));
        if (i % 3 === c % 3) await sleep(Math.random() * 3);
        else if (i % 5 === 0) await journal.flush();
        else await Promise.resolve();
      }
    };
    await Promise.all(Array.from({ length: 25 }, (_, c) => caller(c)));
    await journal.close();
    const lines = parsedLines(dir, DAY1);
    expect(lines.map((l) => l.record.request_id)).toEqual(order);
    expect(lines.map((l) => l.seq)).toEqual(order.map((_, i) => i + 1));
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, records: 1000 });
  });

  it('flush() resolves once everything appended before it is on disk', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, now: () => new Date('2025-03-04T10:00:00Z'), flushIntervalMs: 60_000 });
    await journal.flush(); // nothing appended: resolves at once
    journal.append(auditRecord(1));
    journal.append(auditRecord(2));
    await sleep(30);
    expect(existsSync(join(dir, DAY1))).toBe(false);
    expect(journal.health()).toMatchObject({ pending: 2, lastSeq: 0 });
    const flushed = journal.flush();
    journal.append(auditRecord(3)); // after the flush call: may or may not be in that batch
    await flushed;
    expect(rawLines(dir, DAY1).length).toBeGreaterThanOrEqual(2);
    expect(JSON.parse(readFileSync(join(dir, HEAD_FILE), 'utf8')).seq).toBeGreaterThanOrEqual(2);
    await journal.flush();
    expect(journal.health()).toMatchObject({ writable: true, pending: 0, lastSeq: 3, lastError: null });
    await journal.close();
  });

  it('writes a batch without flush() when maxBatch records wait, or after flushIntervalMs', async () => {
    const dir = tempDir();
    const now = () => new Date('2025-03-04T10:00:00Z');
    const batched = await openJournal({ dir, now, flushIntervalMs: 60_000, maxBatch: 4, fsync: false });
    for (let i = 1; i <= 3; i++) batched.append(auditRecord(i));
    await sleep(30);
    expect(batched.health().pending).toBe(3);
    batched.append(auditRecord(4));
    await until(() => batched.health().pending === 0);
    expect(rawLines(dir, DAY1)).toHaveLength(4);
    // Ten more at once: two full batches go out, the last two wait for the timer (or a flush).
    for (let i = 5; i <= 14; i++) batched.append(auditRecord(i));
    await until(() => batched.health().lastSeq === 12);
    await sleep(30);
    expect(batched.health()).toMatchObject({ lastSeq: 12, pending: 2 });
    await batched.flush();
    expect(rawLines(dir, DAY1)).toHaveLength(14);
    await batched.close();

    const timed = await openJournal({ dir, now, flushIntervalMs: 20, fsync: false });
    timed.append(auditRecord(15));
    await until(() => timed.health().pending === 0);
    expect(rawLines(dir, DAY1)).toHaveLength(15);
    await timed.close();
  });

  it('refuses schema-invalid records without throwing and counts them', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, fsync: false });
    expect(journal.append({ ...auditRecord(1), status: 99 })).toBe(false);
    expect(journal.health().lastError).toContain('"/status"');
    const hostile = Object.defineProperty({ ...auditRecord(2) }, 'model', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(() => journal.append(hostile)).not.toThrow();
    expect(journal.health()).toMatchObject({ invalid: 2, pending: 0, lastError: 'audit record refused: boom' });
    await journal.close();
    expect(journal.append(auditRecord(3))).toBe(false);
    expect(journal.health().dropped).toBe(1);
  });

  it('snapshots the record at append time', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, now: () => new Date('2025-03-04T10:00:00Z'), fsync: false });
    const record = { ...auditRecord(1), redactions: { aws_key: 1 } as Record<string, number> };
    journal.append(record);
    record.redactions['aws_key'] = 5;
    await journal.close();
    expect(parsedLines(dir, DAY1)[0]?.record.redactions).toEqual({ aws_key: 1 });
  });
});
