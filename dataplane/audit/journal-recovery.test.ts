import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { auditRecord, parsedLines, rawLines } from './audit-fixtures.ts';
import { HEAD_FILE, hashLine } from './journal-files.ts';
import { openJournal, type Journal } from './journal.ts';
import { verifyJournal } from './verify-journal.ts';

const FILE = 'audit-2025-03-04.jsonl';
const now = (): Date => new Date('2025-03-04T10:00:00Z');

async function journalWith(dir: string, count: number): Promise<void> {
  const journal = await openJournal({ dir, now, fsync: false });
  for (let i = 1; i <= count; i++) journal.append(auditRecord(i));
  await journal.close();
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  for (const end = Date.now() + ms; !check(); await sleep(10)) if (Date.now() > end) throw new Error('timed out');
}

describe('a torn last line (crash mid-write)', () => {
  it('is moved aside on open, and the chain continues from the last complete line', async () => {
    const dir = tempDir();
    await journalWith(dir, 3);
    const fragment = '{"seq":4,"prev":"ab';
    appendFileSync(join(dir, FILE), fragment);
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'truncated', file: FILE, line: 4 });

    const journal = await openJournal({ dir, now, fsync: false });
    expect(journal.health()).toMatchObject({ writable: true, lastSeq: 3 });
    expect(journal.health().lastError).toMatch(/moved to audit-2025-03-04\.jsonl\.torn-2025-03-04T10-00-00-000Z/);
    journal.append(auditRecord(4));
    await journal.close();

    const torn = readdirSync(dir).filter((n) => n.includes('.torn-'));
    expect(torn).toHaveLength(1);
    expect(readFileSync(join(dir, torn[0] as string), 'utf8')).toBe(fragment);
    const lines = rawLines(dir, FILE);
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[3] as string)).toMatchObject({ seq: 4, prev: hashLine(lines[2] as string) });
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, records: 4, torn });
  });

  it('blocks writing when the head file says the cut line had been written (tampering)', async () => {
    const dir = tempDir();
    await journalWith(dir, 3);
    const path = join(dir, FILE);
    truncateSync(path, readFileSync(path).length - 10);
    const journal = await openJournal({ dir, now, fsync: false });
    expect(journal.health().writable).toBe(false);
    expect(journal.health().lastError).toContain('journal.head.json records seq 3');
    expect(journal.append(auditRecord(9))).toBe(true);
    await expect(journal.flush()).rejects.toThrow(/removed from its end/);
    await expect(journal.close()).rejects.toThrow(/1 record\(s\) not written/);
    expect(rawLines(dir, FILE)).toHaveLength(2);
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'truncated', file: FILE, line: 3 });
  });

  it('starts a new chain, without a restart, once the operator moves the damaged journal away', async () => {
    const dir = tempDir();
    await journalWith(dir, 3);
    unlinkSync(join(dir, HEAD_FILE));
    const journal = await openJournal({ dir, now, fsync: false });
    journal.append(auditRecord(4));
    expect(journal.health().writable).toBe(false);
    mkdirSync(join(dir, 'evidence'));
    renameSync(join(dir, FILE), join(dir, 'evidence', FILE));
    await until(() => journal.health().writable);
    await journal.close();
    expect(parsedLines(dir, FILE).map((l) => [l.seq, l.record.request_id])).toEqual([[1, 'req-4']]);
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, records: 1 });
  });

  it('blocks writing when journal files exist but the head file is gone', async () => {
    const dir = tempDir();
    await journalWith(dir, 2);
    unlinkSync(join(dir, HEAD_FILE));
    const journal = await openJournal({ dir, now, fsync: false });
    expect(journal.health()).toMatchObject({ writable: false });
    expect(journal.health().lastError).toMatch(/journal\.head\.json is missing/);
    await journal.close();
  });
});

describe('write failures', () => {
  it('turn health not writable, keep records queued, and recover once the directory is back', async () => {
    const dir = join(tempDir(), 'audit');
    const journal = await openJournal({ dir, now, fsync: true, flushIntervalMs: 5 });
    journal.append(auditRecord(1));
    await journal.flush();

    // As root chmod does not stop writes: replace the directory by a file instead.
    renameSync(dir, `${dir}.away`);
    writeFileSync(dir, 'not a directory');
    journal.append(auditRecord(2));
    journal.append(auditRecord(3));
    await expect(journal.flush()).rejects.toThrow(/ENOTDIR|ENOENT/);
    expect(journal.health()).toMatchObject({ writable: false, pending: 2, lastSeq: 1 });
    expect(journal.health().lastError).toMatch(/ENOTDIR|ENOENT/);
    await sleep(50);
    expect(journal.health().writable).toBe(false);

    unlinkSync(dir);
    renameSync(`${dir}.away`, dir);
    await until(() => journal.health().writable); // the retry timer, no new append or flush needed
    expect(journal.health()).toMatchObject({ pending: 0, lastSeq: 3 });
    journal.append(auditRecord(4));
    await journal.close();
    expect(parsedLines(dir, FILE).map((l) => l.record.request_id)).toEqual(['req-1', 'req-2', 'req-3', 'req-4']);
    expect(await verifyJournal(dir)).toMatchObject({ ok: true, records: 4 });
  });

  it('drop and count records beyond maxPending instead of growing without bound', async () => {
    const dir = join(tempDir(), 'audit');
    const journal = await openJournal({ dir, now, fsync: false, maxPending: 5 });
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'x');
    const accepted = Array.from({ length: 8 }, (_, i) => journal.append(auditRecord(i + 1)));
    expect(accepted).toEqual([true, true, true, true, true, false, false, false]);
    await expect(journal.flush()).rejects.toThrow();
    expect(journal.health()).toMatchObject({ writable: false, pending: 5, dropped: 3 });
    unlinkSync(dir);
    mkdirSync(dir);
    await journal.flush();
    expect(journal.health()).toMatchObject({ writable: true, pending: 0, dropped: 3, lastSeq: 5 });
    await journal.close();
  });

  it('write to the path, not to a file moved away from it', async () => {
    const dir = tempDir();
    const journal = await openJournal({ dir, now, fsync: false });
    journal.append(auditRecord(1));
    await journal.flush();
    renameSync(join(dir, FILE), join(dir, 'moved.jsonl'));
    writeFileSync(join(dir, FILE), '');
    journal.append(auditRecord(2));
    await journal.close();
    expect(rawLines(dir, 'moved.jsonl')).toHaveLength(1);
    expect(parsedLines(dir, FILE).map((l) => l.seq)).toEqual([2]);
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'removed', file: FILE, line: 1, seq: 2 });
  });

  it('continue in a new file when the open one is removed, which verify then reports', async () => {
    const dir = tempDir();
    let clock = new Date('2025-03-04T10:00:00Z');
    const journal: Journal = await openJournal({ dir, now: () => clock, fsync: false });
    journal.append(auditRecord(1));
    await journal.flush();
    clock = new Date('2025-03-05T10:00:00Z');
    journal.append(auditRecord(2));
    await journal.flush();
    unlinkSync(join(dir, 'audit-2025-03-05.jsonl'));
    journal.append(auditRecord(3));
    await journal.flush();
    expect(journal.health().writable).toBe(true);
    expect(journal.health().lastError).toMatch(/removed or replaced/);
    await journal.close();
    expect(parsedLines(dir, 'audit-2025-03-05.jsonl').map((l) => l.seq)).toEqual([3]);
    expect((await verifyJournal(dir)).problem).toMatchObject({ kind: 'removed', file: 'audit-2025-03-05.jsonl', line: 1, seq: 3 });
  });
});

describe('a batch cut off by a full disk (RLIMIT_FSIZE: short write, then EFBIG)', () => {
  it('is cut off and written again whole, also when the retry lands in the next day file', async () => {
    const dir = tempDir();
    const script = join(dir, 'child.mjs');
    writeFileSync(
      script,
      `import { openJournal } from ${JSON.stringify(join(import.meta.dirname, 'journal.ts'))};
import { auditRecord } from ${JSON.stringify(join(import.meta.dirname, 'audit-fixtures.ts'))};
import { createInterface } from 'node:readline';
let day = '2025-03-04T10:00:00Z';
const journal = await openJournal({ dir: ${JSON.stringify(join(dir, 'audit'))}, now: () => new Date(day) });
journal.append(auditRecord(0, { withheld_paths: ['x'] }));
await journal.flush();
for (let i = 1; i <= 20; i++) journal.append(auditRecord(i));
await journal.flush().catch(() => undefined);
console.log(JSON.stringify(journal.health()));
const input = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
day = (await input.next()).value;
console.log('day');
await input.next();
await journal.close();
console.log(JSON.stringify(journal.health()));
process.exit(0);
`,
    );
    // 4 KiB file size limit: the first record fits, the batch of 20 (~12 KiB) is cut off.
    const child = spawn('bash', ['-c', `ulimit -S -f 4; exec "${process.execPath}" ${script}`], { stdio: ['pipe', 'pipe', 'inherit'] });
    const out = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const failing = JSON.parse((await out.next()).value as string);
    expect(failing).toMatchObject({ writable: false, pending: 20, lastSeq: 1 });
    expect(failing.lastError).toMatch(/EFBIG/);
    child.stdin!.write('2025-03-05T10:00:00Z\n');
    expect((await out.next()).value).toBe('day');
    await sleep(300); // a retry or two into the new day file, still cut off
    expect(spawnSync('prlimit', ['--pid', String(child.pid), '--fsize=unlimited']).status).toBe(0);
    child.stdin!.write('close\n');
    expect(JSON.parse((await out.next()).value as string)).toMatchObject({ writable: true, pending: 0, lastSeq: 21 });
    expect(rawLines(join(dir, 'audit'), FILE)).toHaveLength(1);
    expect(parsedLines(join(dir, 'audit'), 'audit-2025-03-05.jsonl').map((l) => l.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
    expect(await verifyJournal(join(dir, 'audit'))).toMatchObject({ ok: true, records: 21 });
  });
});
