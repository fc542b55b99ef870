import { describe, expect, it, onTestFinished } from 'vitest';
import { connectDatabase } from '../../dataplane/audit-db/connect-database.ts';
import { migrateDatabase } from '../../dataplane/audit-db/migrate.ts';
import { dropExpiredPartitions, ensurePartitions, listPartitionNames } from '../../dataplane/audit-db/partitions.ts';
import { startShipper } from '../../dataplane/audit-db/shipper.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writeRecords } from './journal-helpers.ts';
import { query, testDatabase } from './pg-helpers.ts';

const DAY = 86_400_000;

describe('audit retention', () => {
  it('drops whole day partitions older than retention_days and does not ship records that old', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    const now = new Date('2025-03-31T12:00:00Z');
    // One record per day from 2025-03-21 to 2025-03-31.
    await writeRecords(dir, 1, 11, { overrides: (n) => ({ time: new Date(Date.parse('2025-03-21T08:00:00Z') + (n - 1) * DAY).toISOString() }) });

    const keepAll = startShipper({ journalDir: dir, databaseUrl: url, pollMs: 50, now: () => now });
    expect(await keepAll.caughtUp()).toBe(true);
    await keepAll.stop();
    const db = await connectDatabase(url);
    onTestFinished(() => db.end());
    expect(await listPartitionNames(db)).toHaveLength(13); // 03-21 … 03-31, plus 04-01 and 04-02 ahead

    // 3 days: on 2025-03-31, 03-28 and later stay; 03-27 and before go.
    const s = startShipper({ journalDir: dir, databaseUrl: url, pollMs: 50, retentionDays: 3, now: () => now });
    onTestFinished(() => s.stop());
    expect(await s.caughtUp()).toBe(true);
    expect(s.stats().partitionsDropped).toBe(7);
    expect(await listPartitionNames(db)).toEqual(['ai_requests_p20250328', 'ai_requests_p20250329', 'ai_requests_p20250330', 'ai_requests_p20250331', 'ai_requests_p20250401', 'ai_requests_p20250402']);
    const days = (await query<{ d: string }>(url, `SELECT to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d FROM ai_requests ORDER BY timestamp`)).map((r) => r.d);
    expect(days).toEqual(['2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31']);
  });

  it('skips records older than retention when catching up, instead of creating partitions to drop', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    const now = new Date('2025-03-31T12:00:00Z');
    await writeRecords(dir, 1, 11, { overrides: (n) => ({ time: new Date(Date.parse('2025-03-21T08:00:00Z') + (n - 1) * DAY).toISOString() }) });
    const s = startShipper({ journalDir: dir, databaseUrl: url, pollMs: 50, retentionDays: 3, now: () => now });
    onTestFinished(() => s.stop());
    expect(await s.caughtUp()).toBe(true);
    expect(s.stats()).toMatchObject({ shipped: 4, expired: 7, partitionsDropped: 0 });
    expect(s.stats().cursor.seq).toBe(11);
  });

  it('leaves tables that are not its day partitions alone, and is idempotent', async () => {
    const url = await testDatabase();
    const db = await connectDatabase(url);
    onTestFinished(() => db.end());
    await migrateDatabase(db);
    await ensurePartitions(db, ['2025-01-01', '2025-01-02']);
    await db.query(`CREATE TABLE ai_requests_archive_2024 PARTITION OF ai_requests FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`);
    expect(await dropExpiredPartitions(db, 1, new Date('2025-02-01T00:00:00Z'))).toEqual(['ai_requests_p20250101', 'ai_requests_p20250102']);
    expect(await dropExpiredPartitions(db, 1, new Date('2025-02-01T00:00:00Z'))).toEqual([]);
    const left = await query<{ n: string }>(url, `SELECT c.relname AS n FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ai_requests'::regclass`);
    expect(left.map((r) => r.n)).toEqual(['ai_requests_archive_2024']);
  });
});
