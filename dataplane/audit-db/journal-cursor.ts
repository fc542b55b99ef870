import type { ClientBase } from 'pg';
import { ZERO_HASH } from '../audit/journal-files.ts';

/** How far a journal has been shipped: after the line `seq` (hash `hash`), ending at `offset` in `file`. */
export interface JournalCursor {
  /** Null before anything was shipped: start at the oldest day file. */
  readonly file: string | null;
  readonly offset: number;
  readonly seq: number;
  readonly hash: string;
}

export const START_CURSOR: JournalCursor = { file: null, offset: 0, seq: 0, hash: ZERO_HASH };

/** The stored cursor of a journal, or the start when nothing was shipped from it yet. */
export async function readCursor(client: ClientBase, journalId: string): Promise<JournalCursor> {
  const { rows } = await client.query<{ file: string; offset: string; seq: string; hash: string }>(`SELECT file, "offset", seq, hash FROM audit_cursors WHERE journal_id = $1`, [journalId]);
  const row = rows[0];
  return row ? { file: row.file, offset: Number(row.offset), seq: Number(row.seq), hash: row.hash } : START_CURSOR;
}

/**
 * Moves the cursor from `from` to `to`, only if it still is at `from` (compare-and-set, one round
 * trip). False when another shipper moved it first: the caller rolls its batch back. The row lock
 * taken here makes a concurrent shipper wait for this transaction, then find the cursor moved.
 */
export async function advanceCursor(client: ClientBase, journalId: string, from: JournalCursor, to: JournalCursor): Promise<boolean> {
  if (to.file === null) throw new TypeError('advanceCursor: the new cursor must name a file');
  const values = [journalId, to.file, to.offset, to.seq, to.hash];
  const result =
    from.file === null
      ? await client.query(`INSERT INTO audit_cursors (journal_id, file, "offset", seq, hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (journal_id) DO NOTHING`, values)
      : await client.query(
          `UPDATE audit_cursors SET file = $2, "offset" = $3, seq = $4, hash = $5, updated_at = now()
           WHERE journal_id = $1 AND file = $6 AND "offset" = $7 AND seq = $8 AND hash = $9`,
          [...values, from.file, from.offset, from.seq, from.hash],
        );
  return result.rowCount === 1;
}
