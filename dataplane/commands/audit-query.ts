import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { isProviderId, PROVIDER_IDS } from '../../policy/providers.ts';
import type { AuditRecordV1 } from '../audit/audit-record.ts';
import { parseTimeBound, type AuditQuery } from '../audit-db/audit-query.ts';
import { connectDatabase } from '../audit-db/connect-database.ts';
import { queryDatabase } from '../audit-db/query-database.ts';
import { queryJournal } from '../audit-db/query-journal.ts';
import { journalDirArgument } from './audit-dir.ts';
import { databaseUrlOption, DATABASE_URL_ENV } from './audit-database-url.ts';
import { formatRecordTable } from './audit-query-table.ts';

const HELP = `usage: aigate audit query [DIR | --database-url URL] [filters] [--limit N] [--format table|json]

Finds audit records, newest first, in PostgreSQL (the ai_requests table the shipper fills) or in a
local journal directory DIR. Without DIR and --database-url, $${DATABASE_URL_ENV} is used.

filters (all optional, combined with AND):
  --user NAME         GitLab username or email (case-insensitive)
  --repo PATH         repository path (case-insensitive); group/* for every project under group
  --provider ID       ${PROVIDER_IDS.join(', ')}
  --decision D        allow, deny or error
  --reason CODE       reason code, e.g. provider_not_allowed
  --since T           at or after T: 30m, 24h, 7d (ago), 2025-03-04 (UTC) or an RFC 3339 time
  --until T           before T (same forms)
  --limit N           at most N records (default 50)
  --format F          table (default) or json (one AuditRecordV1 per line)
exit codes: 0 ok (also when nothing matches), 1 the database could not be queried, 2 usage error
`;

const MAX_LIMIT = 100_000;

export const auditQueryCommand: Command = async function auditQuery(args, io) {
  const { values, positionals } = parseCommandArgs('audit query', args, {
    'database-url': { type: 'string' },
    user: { type: 'string' },
    repo: { type: 'string' },
    provider: { type: 'string' },
    decision: { type: 'string' },
    reason: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('audit query', 'format', values.format, ['table', 'json'], 'table');
  const query = queryFrom(values, new Date());
  let records: AuditRecordV1[];
  if (positionals.length > 0) {
    if (values['database-url'] !== undefined) throw new UsageError('aigate audit query: give a journal directory or --database-url, not both');
    records = await queryJournal(await journalDirArgument('audit query', positionals, io.cwd), query);
  } else {
    const url = databaseUrlOption('audit query', values['database-url'], io.env);
    if (url === undefined) throw new UsageError(`aigate audit query: give a journal directory, --database-url URL or $${DATABASE_URL_ENV}`, 'run "aigate audit query --help"');
    records = await fromDatabase(url, query);
  }
  if (format === 'json') io.stdout(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  else io.stdout(`${formatRecordTable(records)}${records.length} record(s), newest first${records.length === query.limit ? ` (limit ${query.limit}: there may be more)` : ''}\n`);
  return EXIT.ok;
};

async function fromDatabase(url: string, query: AuditQuery): Promise<AuditRecordV1[]> {
  let db;
  try {
    db = await connectDatabase(url, { applicationName: 'aigate-audit-query' });
    return await queryDatabase(db, query);
  } catch (error) {
    throw new ExitError(EXIT.failed, `aigate audit query: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await db?.end().catch(() => undefined);
  }
}

function queryFrom(values: Record<string, string | boolean | undefined>, now: Date): AuditQuery {
  const text = (name: string): string | undefined => {
    const value = values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value === '') throw new UsageError(`aigate audit query: --${name} needs a value`);
    return value;
  };
  const provider = text('provider');
  if (provider !== undefined && !isProviderId(provider)) throw new UsageError(`aigate audit query: --provider must be one of ${PROVIDER_IDS.join(', ')} (got "${provider}")`);
  const decision = oneOf('audit query', 'decision', text('decision'), ['allow', 'deny', 'error'], 'allow');
  const time = (name: string): Date | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    const parsed = parseTimeBound(value, now);
    if (parsed === null) throw new UsageError(`aigate audit query: --${name} must be like 30m, 24h, 7d, 2025-03-04 or 2025-03-04T10:00:00Z (got "${value}")`);
    return parsed;
  };
  const limitText = text('limit') ?? '50';
  const limit = Number(limitText);
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`aigate audit query: --limit must be an integer from 1 to ${MAX_LIMIT}`);
  const query: { -readonly [K in keyof AuditQuery]: AuditQuery[K] } = { limit };
  for (const name of ['user', 'repo', 'reason'] as const) {
    const value = text(name);
    if (value !== undefined) query[name] = value;
  }
  if (provider !== undefined) query.provider = provider;
  if (values['decision'] !== undefined) query.decision = decision;
  const since = time('since');
  const until = time('until');
  if (since) query.since = since;
  if (until) query.until = until;
  if (since && until && since >= until) throw new UsageError('aigate audit query: --since must be before --until');
  return query;
}
