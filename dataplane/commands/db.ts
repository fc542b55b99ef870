import type { Command } from '../../cli/command.ts';
import { EXIT, type ExitCode } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { connectDatabase } from '../audit-db/connect-database.ts';
import { migrateDatabase } from '../audit-db/migrate.ts';
import { addDays, dropExpiredPartitions, ensurePartitions, listPartitionNames, partitionDay, utcDay } from '../audit-db/partitions.ts';
import { databaseUrlOption, DATABASE_URL_ENV } from './audit-database-url.ts';

const HELP = `usage: aigate db <subcommand> [--database-url URL]

The audit database (PostgreSQL) that the shipper fills from the audit journal.

subcommands:
  migrate                        apply the migrations this aigate ships, create today's and the next
                                 two days' partitions (the proxy also does both at start)
  status [--format text|json]    schema version, day partitions, shipping cursors of the journals
  prune --retention-days N       drop the day partitions older than N days now (the shipper also
                                 does this hourly when audit.retention_days is set)

--database-url URL, or $${DATABASE_URL_ENV}: postgres://user[:password]@host:5432/dbname
exit codes: 0 ok, 1 the database refused or could not be reached, 2 usage error
`;

type Db = Awaited<ReturnType<typeof connectDatabase>>;

export const dbCommand: Command = async function db(args, io) {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name !== 'migrate' && name !== 'status' && name !== 'prune') throw new UsageError(`aigate db: unknown subcommand "${name}"`, 'run "aigate db --help"');
  const { values, positionals } = parseCommandArgs(`db ${name}`, rest, {
    'database-url': { type: 'string' },
    'retention-days': { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`aigate db ${name}: unexpected argument "${positionals[0]}"`);
  const format = oneOf(`db ${name}`, 'format', values.format, ['text', 'json'], 'text');
  let retentionDays = 0;
  if (name === 'prune') {
    retentionDays = Number(values['retention-days']);
    if (!/^\d+$/.test(values['retention-days'] ?? '') || retentionDays < 1) throw new UsageError('aigate db prune: --retention-days must be a positive integer');
  } else if (values['retention-days'] !== undefined) throw new UsageError(`aigate db ${name}: --retention-days belongs to "db prune"`);
  const url = databaseUrlOption(`db ${name}`, values['database-url'], io.env);
  if (url === undefined) throw new UsageError(`aigate db ${name}: give --database-url URL or set ${DATABASE_URL_ENV}`);

  let conn: Db | undefined;
  try {
    conn = await connectDatabase(url, { applicationName: `aigate-db-${name}` });
    if (name === 'migrate') return await migrate(conn, io);
    if (name === 'prune') return await prune(conn, retentionDays, io);
    return await status(conn, io, format);
  } catch (error) {
    if (error instanceof ExitError) throw error;
    throw new ExitError(EXIT.failed, `aigate db ${name}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await conn?.end().catch(() => undefined);
  }
};

async function migrate(conn: Db, io: CliIo): Promise<ExitCode> {
  const result = await migrateDatabase(conn);
  const today = utcDay(new Date());
  const created = await ensurePartitions(conn, [today, addDays(today, 1), addDays(today, 2)]);
  const lines = result.applied.map((m) => `applied ${m}`);
  lines.push(result.applied.length === 0 ? `✔ audit database up to date (schema version ${result.current})` : `✔ audit database migrated to schema version ${result.current}`);
  if (created.length > 0) lines.push(`created partitions ${created.join(', ')}`);
  if (result.unknown.length > 0) lines.push(`note: the database has migrations this aigate does not know (${result.unknown.join(', ')}): a newer aigate migrated it`);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

async function prune(conn: Db, retentionDays: number, io: CliIo): Promise<ExitCode> {
  const dropped = await dropExpiredPartitions(conn, retentionDays, new Date());
  io.stdout(dropped.length === 0 ? `nothing older than ${retentionDays} day(s) to drop\n` : `dropped ${dropped.length} partition(s): ${dropped.join(', ')}\n`);
  return EXIT.ok;
}

async function status(conn: Db, io: CliIo, format: 'text' | 'json'): Promise<ExitCode> {
  const hasTable = async (name: string) => (await conn.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [name])).rows[0]?.t != null;
  const version = (await hasTable('aigate_schema_migrations')) ? Number((await conn.query<{ v: number | null }>('SELECT max(version) AS v FROM aigate_schema_migrations')).rows[0]?.v ?? 0) : 0;
  const days = (await hasTable('ai_requests')) ? (await listPartitionNames(conn)).map((n) => partitionDay(n) as string) : [];
  const cursors = (await hasTable('audit_cursors'))
    ? (await conn.query<{ journal_id: string; file: string; seq: string; updated_at: Date }>('SELECT journal_id, file, seq, updated_at FROM audit_cursors ORDER BY journal_id')).rows.map((r) => ({ journal: r.journal_id, file: r.file, seq: Number(r.seq), updated: r.updated_at.toISOString() }))
    : [];
  const report = { schemaVersion: version, partitions: { count: days.length, oldest: days[0] ?? null, newest: days.at(-1) ?? null }, cursors };
  if (format === 'json') {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [
    `schema version ${version}${version === 0 ? ' (not migrated: run "aigate db migrate")' : ''}`,
    `partitions     ${days.length === 0 ? 'none' : `${days.length}, ${days[0]} … ${days.at(-1)}`}`,
    `journals       ${cursors.length === 0 ? 'none shipped yet' : ''}`,
    ...cursors.map((c) => `  ${c.journal}  seq ${c.seq} in ${c.file}, updated ${c.updated}`),
  ];
  io.stdout(`${lines.join('\n').replace(/ +\n/g, '\n')}\n`);
  return EXIT.ok;
}
