import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import type { JournalLineV1 } from './audit-record.ts';
import { auditRecord, manualClock } from './audit-fixtures.ts';
import { openJournal } from './journal.ts';
import { tailJournal } from './tail-journal.ts';

async function collect(iterable: AsyncIterable<JournalLineV1>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const line of iterable) seqs.push(line.seq);
  return seqs;
}

describe('tailJournal', () => {
  it('returns the last N lines, across day files, oldest first', async () => {
    const dir = tempDir();
    const clock = manualClock('2025-03-04T10:00:00Z');
    const journal = await openJournal({ dir, now: clock.now, fsync: false });
    for (let i = 1; i <= 15; i++) {
      if (i === 12) {
        await journal.flush();
        clock.set('2025-03-05T10:00:00Z');
      }
      journal.append(auditRecord(i));
    }
    await journal.close();
    expect(await collect(tailJournal(dir, { follow: false }))).toEqual([6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(await collect(tailJournal(dir, { follow: false, lines: 3 }))).toEqual([13, 14, 15]);
    expect(await collect(tailJournal(dir, { follow: false, lines: 100 }))).toHaveLength(15);
    expect(await collect(tailJournal(dir, { follow: false, lines: 0 }))).toEqual([]);
    expect(await collect(tailJournal(tempDir(), { follow: false }))).toEqual([]);
  });

  it('leaves out a line still being written', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, now: () => new Date('2025-03-04T10:00:00Z'), fsync: false });
    for (let i = 1; i <= 3; i++) journal.append(auditRecord(i));
    await journal.close();
    appendFileSync(join(dir, 'audit-2025-03-04.jsonl'), '{"seq":4,"pr');
    expect(await collect(tailJournal(dir, { follow: false, lines: 2 }))).toEqual([2, 3]);
  });

  it('follows appends and the rotation to the next day file until aborted', async () => {
    const dir = tempDir();
    const clock = manualClock('2025-03-04T23:59:00Z');
    const journal = await openJournal({ dir, now: clock.now, fsync: false });
    for (let i = 1; i <= 5; i++) journal.append(auditRecord(i));
    await journal.flush();

    const controller = new AbortController();
    const seen: number[] = [];
    const following = (async () => {
      for await (const line of tailJournal(dir, { follow: true, lines: 2, signal: controller.signal, pollIntervalMs: 2000 })) seen.push(line.seq);
    })();
    const waitFor = async (count: number): Promise<void> => {
      for (const end = Date.now() + 5000; seen.length < count; await sleep(10)) if (Date.now() > end) throw new Error(`saw only ${seen.join(',')}`);
    };
    await waitFor(2);
    journal.append(auditRecord(6));
    journal.append(auditRecord(7));
    await journal.flush();
    await waitFor(4);
    clock.set('2025-03-05T00:00:01Z');
    for (let i = 8; i <= 10; i++) journal.append(auditRecord(i));
    await journal.flush();
    await waitFor(7);
    controller.abort();
    await following;
    await journal.close();
    expect(seen).toEqual([4, 5, 6, 7, 8, 9, 10]);
  });

  it('waits for the first file of an empty journal', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const seen: number[] = [];
    const following = (async () => {
      for await (const line of tailJournal(dir, { follow: true, signal: controller.signal, pollIntervalMs: 20 })) {
        seen.push(line.seq);
        if (seen.length === 2) controller.abort();
      }
    })();
    await sleep(50);
    const journal = await openJournal({ dir, fsync: false });
    journal.append(auditRecord(1));
    journal.append(auditRecord(2));
    await journal.close();
    await following;
    expect(seen).toEqual([1, 2]);
  });
});
