import type { ProviderId } from '../../policy/providers.ts';
import type { AuditRecordV1 } from '../audit/audit-record.ts';

/** One ai_requests row as the shipper sends it (column name → value); see migrations/0001. */
export interface AiRequestRow {
  readonly timestamp: string;
  readonly user_email: string | null;
  readonly repo_name: string | null;
  readonly ai_provider: string | null;
  readonly request_id: string;
  readonly schema_version: number;
  readonly method: string;
  readonly route: string;
  readonly user_id: number | null;
  readonly user_username: string | null;
  readonly repo_id: number | null;
  readonly model: string | null;
  readonly stream: boolean | null;
  readonly decision: string;
  readonly reason: string | null;
  readonly status: number;
  readonly file: string | null;
  readonly redactions: Readonly<Record<string, number>>;
  readonly withheld_paths: readonly string[];
  readonly bytes_in: number;
  readonly bytes_out: number;
  readonly upstream_status: number | null;
  readonly key_index: number | null;
  readonly latency_total_ms: number;
  readonly latency_ttfb_ms: number | null;
  readonly latency_upstream_ms: number | null;
  readonly latency_gitlab_ms: number | null;
  readonly bundle_serial: number | null;
  readonly unscoped: boolean | null;
  readonly client_ip: string | null;
  readonly client_user_agent: string | null;
  readonly journal_id: string;
  readonly journal_seq: number;
  readonly line_hash: string;
}

/** Column names and SQL types, in table order: the INSERT's column list and its recordset definition. */
export const ROW_COLUMNS: ReadonlyArray<readonly [keyof AiRequestRow, string]> = [
  ['timestamp', 'timestamptz'], ['user_email', 'text'], ['repo_name', 'text'], ['ai_provider', 'text'], ['request_id', 'text'],
  ['schema_version', 'smallint'], ['method', 'text'], ['route', 'text'], ['user_id', 'bigint'], ['user_username', 'text'],
  ['repo_id', 'bigint'], ['model', 'text'], ['stream', 'boolean'], ['decision', 'text'], ['reason', 'text'], ['status', 'smallint'],
  ['file', 'text'], ['redactions', 'jsonb'], ['withheld_paths', 'jsonb'], ['bytes_in', 'bigint'], ['bytes_out', 'bigint'],
  ['upstream_status', 'integer'], ['key_index', 'integer'], ['latency_total_ms', 'double precision'], ['latency_ttfb_ms', 'double precision'],
  ['latency_upstream_ms', 'double precision'], ['latency_gitlab_ms', 'double precision'], ['bundle_serial', 'bigint'], ['unscoped', 'boolean'],
  ['client_ip', 'text'], ['client_user_agent', 'text'], ['journal_id', 'text'], ['journal_seq', 'bigint'], ['line_hash', 'text'],
];

/** Where a row came from: the journal, the line's seq, and the SHA-256 of the line's bytes. */
export interface RowSource {
  readonly journalId: string;
  readonly seq: number;
  readonly lineHash: string;
}

/** Flattens a record into its row; every AuditRecordV1 field has a column. */
export function recordToRow(r: AuditRecordV1, source: RowSource): AiRequestRow {
  return {
    timestamp: r.time,
    user_email: r.user?.email ?? null,
    repo_name: r.repo?.path ?? null,
    ai_provider: r.provider,
    request_id: r.request_id,
    schema_version: r.schema_version,
    method: r.method,
    route: r.route,
    user_id: r.user?.id ?? null,
    user_username: r.user?.username ?? null,
    repo_id: r.repo?.id ?? null,
    model: r.model,
    stream: r.stream,
    decision: r.decision,
    reason: r.reason,
    status: r.status,
    file: r.file ?? null,
    redactions: r.redactions,
    withheld_paths: r.withheld_paths,
    bytes_in: r.bytes_in,
    bytes_out: r.bytes_out,
    upstream_status: r.upstream_status,
    key_index: r.key_index,
    latency_total_ms: r.latency_ms.total,
    latency_ttfb_ms: r.latency_ms.ttfb,
    latency_upstream_ms: r.latency_ms.upstream,
    latency_gitlab_ms: r.latency_ms.gitlab,
    bundle_serial: r.bundle_serial,
    unscoped: r.unscoped ?? null,
    client_ip: r.client?.ip ?? null,
    client_user_agent: r.client?.user_agent ?? null,
    journal_id: source.journalId,
    journal_seq: source.seq,
    line_hash: source.lineHash,
  };
}

/** A row as `pg` returns it (bigint columns arrive as strings, timestamptz as Date). */
export type DatabaseRow = Record<string, unknown>;

/**
 * Rebuilds the record from its row, so `aigate audit query` prints the same JSON from the database
 * as from a journal. Optional fields that were absent (or null) come back absent.
 */
export function rowToRecord(row: DatabaseRow): AuditRecordV1 {
  const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
  const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
  const time = row['timestamp'] instanceof Date ? row['timestamp'].toISOString() : String(row['timestamp']);
  const username = s(row['user_username']);
  const repoName = s(row['repo_name']);
  const ip = s(row['client_ip']);
  const agent = s(row['client_user_agent']);
  return {
    schema_version: 1,
    time,
    request_id: String(row['request_id']),
    method: String(row['method']),
    route: String(row['route']),
    user: username === null ? null : { id: n(row['user_id']) as number, username, email: s(row['user_email']) },
    repo: repoName === null ? null : { id: n(row['repo_id']), path: repoName },
    provider: s(row['ai_provider']) as ProviderId | null,
    model: s(row['model']),
    stream: (row['stream'] as boolean | null) ?? null,
    decision: row['decision'] as AuditRecordV1['decision'],
    reason: s(row['reason']),
    status: Number(row['status']),
    ...(row['file'] !== null && row['file'] !== undefined ? { file: String(row['file']) } : {}),
    redactions: (row['redactions'] as Record<string, number> | null) ?? {},
    withheld_paths: (row['withheld_paths'] as string[] | null) ?? [],
    bytes_in: Number(row['bytes_in']),
    bytes_out: Number(row['bytes_out']),
    upstream_status: n(row['upstream_status']),
    key_index: n(row['key_index']),
    latency_ms: { total: Number(row['latency_total_ms']), ttfb: n(row['latency_ttfb_ms']), upstream: n(row['latency_upstream_ms']), gitlab: n(row['latency_gitlab_ms']) },
    bundle_serial: n(row['bundle_serial']),
    ...(row['unscoped'] === true || row['unscoped'] === false ? { unscoped: row['unscoped'] } : {}),
    ...(ip !== null || agent !== null ? { client: { ...(ip !== null ? { ip } : {}), ...(agent !== null ? { user_agent: agent } : {}) } } : {}),
  };
}
