import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startShipper } from '../../dataplane/audit-db/shipper.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writeRecords } from './journal-helpers.ts';
import { query, testDatabase } from './pg-helpers.ts';

const CHILD = fileURLToPath(new URL('./ship-child.ts', import.meta.url));

describe('audit shipper killed mid-batch', () => {
  it('leaves no duplicates when the process dies between the insert and the cursor update', async () => {
    const [dir, url] = [tempDir(), await testDatabase()];
    await writeRecords(dir, 1, 1000);
    const child = spawn(process.execPath, [CHILD, dir, url, '3'], { stdio: ['ignore', 'pipe', 'inherit'] });
    onTestFinished(() => void child.kill('SIGKILL'));
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    for (const end = Date.now() + 20_000; !out.includes('inserted'); await new Promise((r) => setTimeout(r, 10))) if (Date.now() > end) throw new Error(`child: ${out}`);
    // The third batch's 100 rows are inserted, its cursor update not yet made: kill -9 now.
    expect(out).toContain('inserted 100');
    child.kill('SIGKILL');
    await once(child, 'exit');

    const stats = async () => (await query<{ rows: string; distinct_ids: string; cursor: string | null }>(url, 'SELECT count(*) AS rows, count(DISTINCT request_id) AS distinct_ids, (SELECT seq FROM audit_cursors) AS cursor FROM ai_requests'))[0];
    // PostgreSQL rolled the open transaction back when the connection died.
    for (const end = Date.now() + 10_000; (await stats())?.rows !== '200'; await new Promise((r) => setTimeout(r, 50))) if (Date.now() > end) throw new Error(JSON.stringify(await stats()));
    expect(await stats()).toEqual({ rows: '200', distinct_ids: '200', cursor: '200' });

    const again = startShipper({ journalDir: dir, databaseUrl: url, batchSize: 100, pollMs: 50 });
    onTestFinished(() => again.stop());
    expect(await again.caughtUp()).toBe(true);
    expect(again.stats()).toMatchObject({ shipped: 800, duplicates: 0 });
    expect(await stats()).toEqual({ rows: '1000', distinct_ids: '1000', cursor: '1000' });
  });
});
