import type { ClientBase } from 'pg';
import type { AuditRecordV1 } from '../audit/audit-record.ts';
import { repoPrefix, type AuditQuery } from './audit-query.ts';
import { rowToRecord } from './record-row.ts';

/** The newest `q.limit` rows of ai_requests matching `q`, as records. Values are bound, never spliced. */
export async function queryDatabase(client: ClientBase, q: AuditQuery): Promise<AuditRecordV1[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const bind = (value: unknown): string => `$${params.push(value)}`;
  if (q.user !== undefined) {
    const p = bind(q.user.toLowerCase());
    where.push(`(lower(user_username) = ${p} OR lower(user_email) = ${p})`);
  }
  if (q.repo !== undefined) {
    const prefix = repoPrefix(q.repo);
    where.push(prefix === null ? `lower(repo_name) = ${bind(q.repo.toLowerCase())}` : `starts_with(lower(repo_name), ${bind(prefix)})`);
  }
  if (q.provider !== undefined) where.push(`ai_provider = ${bind(q.provider)}`);
  if (q.decision !== undefined) where.push(`decision = ${bind(q.decision)}`);
  if (q.reason !== undefined) where.push(`reason = ${bind(q.reason)}`);
  // Bounds on the partition key: PostgreSQL reads only the partitions of those days.
  if (q.since !== undefined) where.push(`"timestamp" >= ${bind(q.since.toISOString())}`);
  if (q.until !== undefined) where.push(`"timestamp" < ${bind(q.until.toISOString())}`);
  const sql = `SELECT * FROM ai_requests${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY "timestamp" DESC, journal_seq DESC, request_id DESC LIMIT ${bind(q.limit)}`;
  const { rows } = await client.query(sql, params);
  return rows.map(rowToRecord);
}
