// Measures what durability costs the audit journal (numbers in docs/audit.md):
//   node dataplane/audit/journal-bench.ts [DIR]
// DIR should be on the disk the proxy will use (default: the OS temp dir). Ratios are against
// group commit measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { auditRecord } from '../dataplane/audit/audit-fixtures.ts';
import { openJournal, type JournalOptions } from '../dataplane/audit/journal.ts';

const base = process.argv[2] ?? tmpdir();

function scratch(): string {
  return mkdtempSync(join(base, 'aigate-journal-bench-'));
}

/** Raw write + fdatasync per line: the floor for "every record durable before the next". */
async function rawPerRecord(count: number): Promise<number> {
  const dir = scratch();
  const handle = await open(join(dir, 'raw.jsonl'), 'a');
  const line = Buffer.from(`${JSON.stringify({ seq: 1, prev: '0'.repeat(64), record: auditRecord(1) })}\n`);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    await handle.write(line);
    await handle.datasync();
  }
  const ms = performance.now() - start;
  await handle.close();
  rmSync(dir, { recursive: true });
  return ms;
}

/** `count` records appended at once, then one flush: throughput of the whole write path. */
async function burst(count: number, options: Omit<JournalOptions, 'dir'>): Promise<number> {
  const dir = scratch();
  const journal = await openJournal({ dir, ...options });
  const start = performance.now();
  for (let i = 0; i < count; i++) journal.append(auditRecord(i));
  await journal.flush();
  const ms = performance.now() - start;
  await journal.close();
  rmSync(dir, { recursive: true });
  return ms;
}

/** Each record flushed before the next is appended: a request path that waited for its record. */
async function waitEach(count: number, options: Omit<JournalOptions, 'dir'>): Promise<number> {
  const dir = scratch();
  const journal = await openJournal({ dir, ...options });
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    journal.append(auditRecord(i));
    await journal.flush();
  }
  const ms = performance.now() - start;
  await journal.close();
  rmSync(dir, { recursive: true });
  return ms;
}

/** `callers` concurrent request paths that each wait for their record: waiters share batches. */
async function waitConcurrent(callers: number, each: number): Promise<number> {
  const dir = scratch();
  const journal = await openJournal({ dir, fsync: true });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < each; i++) {
        journal.append(auditRecord(c * each + i));
        await journal.flush();
      }
    }),
  );
  const ms = performance.now() - start;
  await journal.close();
  rmSync(dir, { recursive: true });
  return ms;
}

/** Time append() itself takes on the request path (validate, stringify, queue). */
async function appendOnly(count: number): Promise<number> {
  const dir = scratch();
  const journal = await openJournal({ dir, fsync: false, flushIntervalMs: 60_000, maxBatch: count + 1, maxPending: count + 1 });
  const records = Array.from({ length: count }, (_, i) => auditRecord(i));
  const start = performance.now();
  for (const record of records) journal.append(record);
  const ms = performance.now() - start;
  await journal.close();
  rmSync(dir, { recursive: true });
  return ms;
}

const rows: Array<[string, number, number]> = [];
const burstCount = 20_000;
const group = await burst(burstCount, { fsync: true });
rows.push(['group commit (maxBatch 256, fsync), burst', burstCount, group]);
rows.push(['group commit, fsync off, burst', burstCount, await burst(burstCount, { fsync: false })]);
rows.push(['fsync per record (maxBatch 1), burst', 2_000, await burst(2_000, { fsync: true, maxBatch: 1 })]);
rows.push(['raw write + fdatasync per record (no head file)', 2_000, await rawPerRecord(2_000)]);
rows.push(['append + await flush() each, fsync', 1_000, await waitEach(1_000, { fsync: true, flushIntervalMs: 0 })]);
rows.push(['100 callers each append + await flush(), fsync', 10_000, await waitConcurrent(100, 100)]);
rows.push(['append() alone (request-path cost)', 100_000, await appendOnly(100_000)]);

const groupPer = group / burstCount;
console.log(`journal bench in ${base}`);
for (const [name, count, ms] of rows) {
  const per = ms / count;
  console.log(`${name.padEnd(52)} ${String(count).padStart(7)} records ${ms.toFixed(0).padStart(7)} ms  ${(per * 1000).toFixed(1).padStart(8)} µs/record  ${Math.round(count / (ms / 1000)).toString().padStart(8)} records/s  x${(per / groupPer).toFixed(1)}`);
}
