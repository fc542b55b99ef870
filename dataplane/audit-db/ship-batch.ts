import type { ClientBase } from 'pg';
import { insertRows } from './insert-rows.ts';
import { advanceCursor, readCursor, type JournalCursor } from './journal-cursor.ts';
import type { AiRequestRow } from './record-row.ts';

export type ShipOutcome = { readonly kind: 'shipped'; readonly inserted: number } | { readonly kind: 'moved'; readonly cursor: JournalCursor };

/**
 * Inserts a batch and moves the journal's cursor in one transaction: either both happen or neither,
 * so a crash between them leaves neither. The cursor moves only if it is still where this shipper
 * started the batch; if another shipper on the same journal moved it, the batch is rolled back and
 * the stored cursor returned to resume from. Four round trips: BEGIN, INSERT, UPDATE, COMMIT.
 */
export async function shipBatch(
  client: ClientBase,
  journalId: string,
  from: JournalCursor,
  to: JournalCursor,
  rows: readonly AiRequestRow[],
  beforeCursorUpdate?: (inserted: number) => Promise<void> | void,
): Promise<ShipOutcome> {
  await client.query('BEGIN');
  try {
    const inserted = await insertRows(client, rows);
    await beforeCursorUpdate?.(inserted);
    if (!(await advanceCursor(client, journalId, from, to))) {
      await client.query('ROLLBACK');
      return { kind: 'moved', cursor: await readCursor(client, journalId) };
    }
    await client.query('COMMIT');
    return { kind: 'shipped', inserted };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
