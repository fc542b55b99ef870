import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { auditRecord } from '../../dataplane/audit/audit-fixtures.ts';
import { openJournal } from '../../dataplane/audit/journal.ts';
import { rowToRecord } from '../../dataplane/audit-db/record-row.ts';
import { startShipper, type Shipper, type ShipperOptions } from '../../dataplane/audit-db/shipper.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { appendRange, writeRecords } from './journal-helpers.ts';
import { PG_PORT, query, testDatabase, viaPort } from './pg-helpers.ts';
import { startTcpProxy } from './tcp-proxy.ts';

function shipper(options: ShipperOptions): Shipper {
  const s = startShipper({ pollMs: 50, maxBackoffMs: 200, ...options });
  onTestFinished(() => s.stop());
  return s;
}

async function count(url: string): Promise<number> {
  return Number((await query<{ n: string }>(url, 'SELECT count(*) AS n FROM ai_requests'))[0]?.n);
}

async function seqs(url: string): Promise<number[]> {
  return (await query<{ s: string }>(url, 'SELECT journal_seq AS s FROM ai_requests ORDER BY journal_seq')).map((r) => Number(r.s));
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('audit shipper', () => {
  it('ships every record with every field, answerable by the seed query', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    const full = auditRecord(1, { file: 'src/a.ts', unscoped: true, redactions: { aws_access_key: 2, github_token: 1 }, withheld_paths: ['secrets/x.env'], client: { ip: '10.0.0.7', user_agent: 'claude-cli/1.0' } });
    const sparse = auditRecord(2, { user: null, repo: null, provider: null, model: null, stream: null, decision: 'deny', reason: 'auth_missing', status: 401, upstream_status: null, key_index: null, latency_ms: { total: 1, ttfb: 1, upstream: null, gitlab: null }, bundle_serial: null, time: '2025-03-04T10:00:01.000Z' });
    const journal = await openJournal({ dir, fsync: false });
    journal.append(full);
    journal.append(sparse);
    await journal.flush();
    const journalFile = journal.health().file as string;
    await journal.close();
    const s = shipper({ journalDir: dir, databaseUrl: url });
    expect(await s.caughtUp()).toBe(true);
    expect(s.stats()).toMatchObject({ shipped: 2, duplicates: 0, batches: 1, connected: true, lastError: null });
    expect(s.lag()).toEqual({ records: 0, seconds: 0 });

    const seed = await query(url, 'SELECT user_email, repo_name, ai_provider, timestamp FROM ai_requests ORDER BY timestamp DESC LIMIT 10');
    expect(seed).toEqual([
      { user_email: null, repo_name: null, ai_provider: null, timestamp: new Date('2025-03-04T10:00:01.000Z') },
      { user_email: 'alice@example.com', repo_name: 'group/app', ai_provider: 'anthropic', timestamp: new Date('2025-03-04T10:00:00.000Z') },
    ]);
    const rows = await query(url, 'SELECT * FROM ai_requests ORDER BY journal_seq');
    expect(rows.map(rowToRecord)).toEqual([full, sparse]);
    expect(rows[0]).toMatchObject({ journal_seq: '1', line_hash: expect.stringMatching(/^[0-9a-f]{64}$/), journal_id: s.stats().journalId });
    // The hash is the journal line's: the row can be checked against the journal it came from.
    const firstLine = readFileSync(journalFile, 'utf8').split('\n')[0] as string;
    expect(rows[0]?.['line_hash']).toBe(createHash('sha256').update(firstLine).digest('hex'));
  });

  it('ships across day files in chain order and follows new lines as they are written', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    let now = new Date('2025-03-04T23:59:00Z');
    const journal = await openJournal({ dir, fsync: false, now: () => now });
    onTestFinished(() => journal.close());
    appendRange(journal, 1, 150, Date.parse('2025-03-04T23:00:00Z'));
    await journal.flush();
    now = new Date('2025-03-05T00:01:00Z');
    appendRange(journal, 151, 300, Date.parse('2025-03-05T00:00:00Z'));
    await journal.flush();
    const s = shipper({ journalDir: dir, databaseUrl: url, batchSize: 64 });
    expect(await s.caughtUp()).toBe(true);
    appendRange(journal, 301, 310, Date.parse('2025-03-05T01:00:00Z'));
    await journal.flush();
    expect(await s.caughtUp()).toBe(true);
    expect(await seqs(url)).toEqual(range(1, 310));
    expect(s.stats()).toMatchObject({ shipped: 310, chainBreaks: 0, skipped: 0 });
  });

  it('never duplicates rows: a restart resumes from the stored cursor, a rewound cursor re-ships harmlessly', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    await writeRecords(dir, 1, 250);
    const first = startShipper({ journalDir: dir, databaseUrl: url, batchSize: 100, pollMs: 50 });
    expect(await first.caughtUp()).toBe(true);
    await first.stop();
    await writeRecords(dir, 251, 300);
    const second = shipper({ journalDir: dir, databaseUrl: url, batchSize: 100 });
    expect(await second.caughtUp()).toBe(true);
    expect(second.stats()).toMatchObject({ shipped: 50, duplicates: 0 });
    await second.stop();

    // As if rows had been committed without their cursor: everything is shipped again.
    await query(url, 'DELETE FROM audit_cursors');
    const third = shipper({ journalDir: dir, databaseUrl: url, batchSize: 100 });
    expect(await third.caughtUp()).toBe(true);
    expect(third.stats()).toMatchObject({ shipped: 0, duplicates: 300 });
    expect(await count(url)).toBe(300);
    expect(await seqs(url)).toEqual(range(1, 300));
  });

  it('rolls back a batch that fails between insert and cursor update, then ships it once', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    await writeRecords(dir, 1, 300);
    let calls = 0;
    const s = shipper({
      journalDir: dir,
      databaseUrl: url,
      batchSize: 100,
      beforeCursorUpdate: () => {
        if (++calls === 2) throw new Error('injected crash before the cursor update');
      },
    });
    expect(await s.caughtUp()).toBe(true);
    expect(calls).toBe(4);
    expect(await seqs(url)).toEqual(range(1, 300));
    expect(s.stats()).toMatchObject({ shipped: 300, duplicates: 0, batches: 3 });
  });

  it('lets two shippers pointed at the same journal take turns without duplicating rows', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    await writeRecords(dir, 1, 2000);
    const [a, b] = [shipper({ journalDir: dir, databaseUrl: url, batchSize: 50 }), shipper({ journalDir: dir, databaseUrl: url, batchSize: 50 })];
    expect(await a.caughtUp()).toBe(true);
    expect(await b.caughtUp()).toBe(true);
    expect(a.stats().journalId).toBe(b.stats().journalId);
    expect(await seqs(url)).toEqual(range(1, 2000));
    expect(a.stats().shipped + b.stats().shipped).toBe(2000);
    expect(a.stats().duplicates + b.stats().duplicates).toBe(0);
  });

  it('passes over a damaged line, ships the rest and says so', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    await writeRecords(dir, 1, 3);
    const file = join(dir, 'audit-2025-03-04.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[1] = '{"seq":2,"prev":"not json';
    writeFileSync(file, lines.join('\n'));
    const s = shipper({ journalDir: dir, databaseUrl: url });
    expect(await s.caughtUp()).toBe(true);
    expect(await seqs(url)).toEqual([1, 3]);
    expect(s.stats()).toMatchObject({ shipped: 2, skipped: 1, chainBreaks: 1 });
    expect(s.stats().lastNote).toMatch(/audit verify/);
  });

  it('does not ship a line until its newline is written', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    await writeRecords(dir, 1, 2);
    const file = join(dir, 'audit-2025-03-04.jsonl');
    const [, second] = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, readFileSync(file, 'utf8').split('\n')[0] + '\n' + (second as string).slice(0, 40));
    const s = shipper({ journalDir: dir, databaseUrl: url });
    expect(await s.caughtUp()).toBe(true);
    expect(await seqs(url)).toEqual([1]);
    appendFileSync(file, (second as string).slice(40) + '\n');
    expect(await s.caughtUp()).toBe(true);
    expect(await seqs(url)).toEqual([1, 2]);
  });
});

describe('audit shipper during a PostgreSQL outage', () => {
  it('keeps the records in the journal, reports the lag, and catches up in order when the database is back', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    const proxy = await startTcpProxy(PG_PORT);
    onTestFinished(() => proxy.close());
    const journal = await openJournal({ dir, fsync: false });
    onTestFinished(() => journal.close());
    const start = Date.now() - 1_000_000;
    appendRange(journal, 1, 100, start);
    await journal.flush();
    const s = shipper({ journalDir: dir, databaseUrl: viaPort(url, proxy.port), batchSize: 50 });
    expect(await s.caughtUp()).toBe(true);
    expect(await count(url)).toBe(100);

    await proxy.down();
    appendRange(journal, 101, 600, start + 100_000);
    await journal.flush();
    for (const end = Date.now() + 10_000; s.stats().connected || s.lag().records < 500 || s.lag().seconds === 0; await new Promise((r) => setTimeout(r, 20))) {
      if (Date.now() > end) throw new Error(JSON.stringify(s.stats()));
    }
    expect(s.stats().lastError).toBeTruthy();
    expect(s.lag().seconds).toBeGreaterThan(0);
    expect(await s.caughtUp(300)).toBe(false);
    expect(await count(url)).toBe(100);

    await proxy.up();
    expect(await s.caughtUp(15_000)).toBe(true);
    expect(s.stats()).toMatchObject({ connected: true, lastError: null, shipped: 600, duplicates: 0 });
    expect(s.lag()).toEqual({ records: 0, seconds: 0 });
    expect(await seqs(url)).toEqual(range(1, 600));
    // Catch-up kept the journal's order: by seq, times only go forward.
    const times = (await query<{ t: Date }>(url, 'SELECT timestamp AS t FROM ai_requests ORDER BY journal_seq')).map((r) => r.t.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('treats a database that stops answering as down, and catches up when it answers again', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    const proxy = await startTcpProxy(PG_PORT);
    onTestFinished(() => proxy.close());
    const journal = await openJournal({ dir, fsync: false });
    onTestFinished(() => journal.close());
    appendRange(journal, 1, 10, Date.now() - 100_000);
    await journal.flush();
    const s = shipper({ journalDir: dir, databaseUrl: viaPort(url, proxy.port), queryTimeoutMs: 300, connectTimeoutMs: 300 });
    expect(await s.caughtUp()).toBe(true);
    proxy.stall();
    appendRange(journal, 11, 20, Date.now() - 50_000);
    await journal.flush();
    for (const end = Date.now() + 10_000; s.stats().lastError === null; await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error(JSON.stringify(s.stats()));
    expect(s.stats().lastError).toMatch(/timeout/i);
    proxy.resume();
    expect(await s.caughtUp(15_000)).toBe(true);
    expect(await seqs(url)).toEqual(range(1, 20));
  });

  it('starts while the database is unreachable and ships everything once it is reachable', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    const proxy = await startTcpProxy(PG_PORT);
    onTestFinished(() => proxy.close());
    await proxy.down();
    await writeRecords(dir, 1, 40);
    const s = shipper({ journalDir: dir, databaseUrl: viaPort(url, proxy.port) });
    for (const end = Date.now() + 5000; s.stats().lastError === null; await new Promise((r) => setTimeout(r, 20))) if (Date.now() > end) throw new Error('no error');
    expect(s.lag().records).toBe(40);
    await proxy.up();
    expect(await s.caughtUp(15_000)).toBe(true);
    expect(await seqs(url)).toEqual(range(1, 40));
  });
});
