import type { ClientBase } from 'pg';
import { ROW_COLUMNS, type AiRequestRow } from './record-row.ts';

const COLUMN_LIST = ROW_COLUMNS.map(([name]) => `"${name}"`).join(', ');
const RECORDSET = ROW_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', ');

/**
 * Inserts rows in one statement and returns how many were new. The whole batch is one JSON
 * parameter expanded by json_to_recordset: one round trip, no 65 535-parameter ceiling, and no SQL
 * built from record values. A row already there (same request id and time) is skipped, which is
 * what makes shipping a line twice harmless.
 */
export async function insertRows(client: ClientBase, rows: readonly AiRequestRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO ai_requests (${COLUMN_LIST}) SELECT ${COLUMN_LIST} FROM json_to_recordset($1::json) AS r(${RECORDSET}) ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
  return result.rowCount ?? 0;
}
