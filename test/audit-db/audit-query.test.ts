import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import type { AuditRecordV1 } from '../../dataplane/audit/audit-record.ts';
import { startShipper } from '../../dataplane/audit-db/shipper.ts';
import { auditCommand } from '../../dataplane/commands/audit.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { closedPort } from './tcp-proxy.ts';
import { writeRecords } from './journal-helpers.ts';
import { testDatabase } from './pg-helpers.ts';

const COMMANDS = { audit: { summary: 'audit', load: async () => auditCommand } };

async function run(args: string[], env: Record<string, string> = {}) {
  const io = bufferIo({ env });
  const code = await runCli(args, io, COMMANDS);
  return { code, out: io.out(), err: io.err() };
}

/** 30 records a minute apart from 2025-03-04T10:00Z: users, repos, providers and decisions vary with n. */
function variety(n: number): Partial<AuditRecordV1> {
  const user = [
    { id: 1, username: 'alice', email: 'Alice@Example.com' },
    { id: 2, username: 'bob', email: 'bob@example.com' },
    { id: 3, username: 'carol', email: null },
  ][n % 3] as AuditRecordV1['user'];
  const deny = n % 5 === 0;
  return {
    time: new Date(Date.parse('2025-03-04T10:00:00Z') + n * 60_000).toISOString(),
    user,
    repo: { id: 100 + (n % 4), path: ['group/app', 'group/sub/lib', 'other/tool', 'Group/App2'][n % 4] as string },
    provider: n % 2 === 0 ? 'anthropic' : 'openai',
    decision: deny ? 'deny' : 'allow',
    reason: deny ? 'provider_not_allowed' : null,
    status: deny ? 403 : 200,
  };
}

async function fixture(): Promise<{ dir: string; url: string }> {
  const [dir, url] = [tempDir(), await testDatabase()];
  await writeRecords(dir, 1, 30, { overrides: variety });
  const shipper = startShipper({ journalDir: dir, databaseUrl: url, pollMs: 50 });
  expect(await shipper.caughtUp()).toBe(true);
  await shipper.stop();
  return { dir, url };
}

const ids = (out: string): string[] => out.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as AuditRecordV1).request_id);

describe('aigate audit query', () => {
  it('answers the same from the database and from the journal, newest first', async () => {
    const { dir, url } = await fixture();
    const cases: Array<[string[], string[]]> = [
      [['--limit', '3'], ['req-30', 'req-29', 'req-28']],
      [['--user', 'ALICE@example.COM', '--limit', '4'], ['req-30', 'req-27', 'req-24', 'req-21']],
      [['--user', 'carol', '--decision', 'deny'], ['req-20', 'req-5']],
      [['--repo', 'group/app'], ['req-28', 'req-24', 'req-20', 'req-16', 'req-12', 'req-8', 'req-4']],
      [['--repo', 'group/*', '--provider', 'openai', '--limit', '4'], ['req-29', 'req-27', 'req-25', 'req-23']],
      [['--reason', 'provider_not_allowed', '--provider', 'anthropic'], ['req-30', 'req-20', 'req-10']],
      [['--since', '2025-03-04T10:05:00Z', '--until', '2025-03-04T10:08:00Z'], ['req-7', 'req-6', 'req-5']],
      [['--since', '2025-03-05'], []],
    ];
    for (const [filters, expected] of cases) {
      const fromDb = await run(['audit', 'query', '--database-url', url, '--format', 'json', ...filters]);
      const fromJournal = await run(['audit', 'query', dir, '--format', 'json', ...filters]);
      expect(fromDb.code, filters.join(' ')).toBe(0);
      expect(ids(fromDb.out), `database ${filters.join(' ')}`).toEqual(expected);
      expect(ids(fromJournal.out), `journal ${filters.join(' ')}`).toEqual(expected);
      // Whole records, not just ids: the database gives back what the journal holds.
      expect(fromDb.out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))).toEqual(fromJournal.out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    }
  });

  it('reads the database URL from AIGATE_DATABASE_URL and prints a table', async () => {
    const { url } = await fixture();
    const r = await run(['audit', 'query', '--limit', '2'], { AIGATE_DATABASE_URL: url });
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^TIME +DECISION +STATUS +USER +REPO +PROVIDER +MODEL +REASON +REQUEST ID$/);
    expect(lines[1]).toMatch(/^2025-03-04T10:30:00\.000Z +deny +403 +alice +other\/tool +anthropic +claude-sonnet-4 +provider_not_allowed +req-30$/);
    expect(lines[3]).toBe('2 record(s), newest first (limit 2: there may be more)');
  });

  it('escapes control characters from records in the table', async () => {
    const dir = tempDir();
    await writeRecords(dir, 1, 1, { overrides: () => ({ model: 'g\u001b[31m x\ny' }) });
    const r = await run(['audit', 'query', dir]);
    expect(r.out).toContain(' g\\u001b[31m\\u0020x\\u000ay ');
    expect(r.out).not.toContain('\u001b');
  });

  it('exits 1 when the database cannot be reached, without printing the password', async () => {
    const r = await run(['audit', 'query', '--database-url', `postgres://postgres:hunter2-secret@127.0.0.1:${await closedPort()}/x`]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot connect to PostgreSQL at 127\.0\.0\.1:\d+\/x/);
    expect(r.err).not.toContain('hunter2');
  });

  it('exits 2 for usage errors', async () => {
    const dir = tempDir();
    for (const args of [
      [],
      [dir, '--database-url', 'postgres://h/db'],
      ['--database-url', 'mysql://h/db'],
      [dir, '--provider', 'skynet'],
      [dir, '--decision', 'maybe'],
      [dir, '--since', 'yesterday'],
      [dir, '--since', '1h', '--until', '2h'],
      [dir, '--limit', '0'],
      [dir, '--limit', '1e3'],
      [dir, '--format', 'csv'],
      [`${dir}/missing`],
    ]) {
      const r = await run(['audit', 'query', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^aigate audit query/);
    }
    expect((await run(['audit', 'query', '--help'])).out).toContain('usage: aigate audit query');
    expect((await run(['audit', '--help'])).out).toMatch(/query +find records/);
  });
});
