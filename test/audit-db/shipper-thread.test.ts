import { describe, expect, it, onTestFinished } from 'vitest';
import { startShipperThread } from '../../dataplane/audit-db/shipper-thread.ts';
import { createLogger } from '../../dataplane/log.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writeRecords } from './journal-helpers.ts';
import { query, testDatabase } from './pg-helpers.ts';

describe('audit shipper in a worker thread', () => {
  it('ships like the in-process shipper and reports lag, stats and logs to the proxy thread', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    await writeRecords(dir, 1, 500);
    const logs: string[] = [];
    const s = startShipperThread({ journalDir: dir, databaseUrl: url, pollMs: 50, batchSize: 100, statsIntervalMs: 20, log: createLogger((l) => void logs.push(l)) });
    onTestFinished(() => s.stop());
    expect(await s.caughtUp(20_000)).toBe(true);
    expect(s.stats()).toMatchObject({ shipped: 500, batches: 5, connected: true, lastError: null });
    expect(s.lag()).toEqual({ records: 0, seconds: 0 });
    const rows = await query<{ n: string }>(url, 'SELECT count(DISTINCT request_id) AS n FROM ai_requests');
    expect(rows[0]?.n).toBe('500');
    expect(logs.some((l) => l.includes('audit database migrated'))).toBe(true);

    await writeRecords(dir, 501, 520);
    expect(await s.caughtUp(20_000)).toBe(true);
    expect(s.stats().shipped).toBe(520);
    await s.stop();
    expect(await s.caughtUp()).toBe(false);
  });
});
