import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { addDays, utcDay } from '../../dataplane/audit-db/partitions.ts';
import { dbCommand } from '../../dataplane/commands/db.ts';
import { closedPort } from './tcp-proxy.ts';
import { query, testDatabase } from './pg-helpers.ts';

async function run(args: string[], env: Record<string, string> = {}) {
  const io = bufferIo({ env });
  const code = await runCli(args, io, { db: { summary: 'db', load: async () => dbCommand } });
  return { code, out: io.out(), err: io.err() };
}

describe('aigate db', () => {
  it('migrate applies the migrations and creates the coming days\' partitions, once', async () => {
    const url = await testDatabase();
    const today = utcDay(new Date());
    const first = await run(['db', 'migrate', '--database-url', url]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('applied 0001_ai_requests.sql\napplied 0002_audit_cursors.sql\n✔ audit database migrated to schema version 2\n');
    expect(first.out).toContain(`created partitions ai_requests_p${today.replaceAll('-', '')}`);
    const second = await run(['db', 'migrate'], { AIGATE_DATABASE_URL: url });
    expect(second).toEqual({ code: 0, out: '✔ audit database up to date (schema version 2)\n', err: '' });
    // The seed's query works on the fresh table.
    expect(await query(url, 'SELECT user_email, repo_name, ai_provider, timestamp FROM ai_requests ORDER BY timestamp DESC LIMIT 10')).toEqual([]);
  });

  it('status reports version, partitions and journal cursors; prune drops old partitions', async () => {
    const url = await testDatabase();
    expect((await run(['db', 'status', '--database-url', url])).out).toMatch(/^schema version 0 \(not migrated/);
    await run(['db', 'migrate', '--database-url', url]);
    await query(url, `CREATE TABLE ai_requests_p20200101 PARTITION OF ai_requests FOR VALUES FROM ('2020-01-01T00:00:00Z') TO ('2020-01-02T00:00:00Z')`);
    await query(url, `INSERT INTO audit_cursors (journal_id, file, "offset", seq, hash) VALUES ('j-1', 'audit-2025-03-04.jsonl', 100, 7, 'h')`);
    const status = await run(['db', 'status', '--database-url', url, '--format', 'json']);
    expect(JSON.parse(status.out)).toMatchObject({ schemaVersion: 2, partitions: { count: 4, oldest: '2020-01-01', newest: addDays(utcDay(new Date()), 2) }, cursors: [{ journal: 'j-1', seq: 7, file: 'audit-2025-03-04.jsonl' }] });
    expect((await run(['db', 'status', '--database-url', url])).out).toContain('  j-1  seq 7 in audit-2025-03-04.jsonl');
    expect((await run(['db', 'prune', '--retention-days', '30', '--database-url', url])).out).toBe('dropped 1 partition(s): ai_requests_p20200101\n');
    expect((await run(['db', 'prune', '--retention-days', '30', '--database-url', url])).out).toBe('nothing older than 30 day(s) to drop\n');
  });

  it('exits 1 when the database cannot be reached, without printing the password', async () => {
    const r = await run(['db', 'migrate', '--database-url', `postgres://postgres:t0ps3cret@127.0.0.1:${await closedPort()}/aigate`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^aigate db migrate: cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/aigate/);
    expect(r.err).not.toContain('t0ps3cret');
  });

  it('exits 2 for usage errors', async () => {
    for (const args of [['db'], ['db', 'drop'], ['db', 'migrate'], ['db', 'migrate', '--database-url', 'redis://x'], ['db', 'prune', '--database-url', 'postgres://h/d'], ['db', 'prune', '--retention-days', '0', '--database-url', 'postgres://h/d'], ['db', 'migrate', '--retention-days', '3', '--database-url', 'postgres://h/d'], ['db', 'status', 'x', '--database-url', 'postgres://h/d']]) {
      expect((await run(args)).code, args.join(' ')).toBe(2);
    }
    expect((await run(['db', '--help'])).out).toContain('usage: aigate db');
  });
});
