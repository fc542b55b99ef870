import { auditRecord } from '../../dataplane/audit/audit-fixtures.ts';
import type { AuditRecordV1 } from '../../dataplane/audit/audit-record.ts';
import { openJournal, type Journal } from '../../dataplane/audit/journal.ts';

/**
 * Writes records `from`..`to` (request ids req-N) into the journal in `dir`, one second apart from
 * `start`, all written on the day `writeDay` says (the day file follows the write time).
 */
export async function writeRecords(dir: string, from: number, to: number, options: { start?: string; overrides?: (n: number) => Partial<AuditRecordV1> } = {}): Promise<void> {
  const start = Date.parse(options.start ?? '2025-03-04T10:00:00.000Z');
  const journal = await openJournal({ dir, fsync: false, now: () => new Date(start + (to - from) * 1000) });
  try {
    appendRange(journal, from, to, start, options.overrides);
  } finally {
    await journal.close();
  }
}

export function appendRange(journal: Journal, from: number, to: number, start: number, overrides?: (n: number) => Partial<AuditRecordV1>): void {
  for (let n = from; n <= to; n++) {
    const ok = journal.append(auditRecord(n, { time: new Date(start + (n - from) * 1000).toISOString(), ...overrides?.(n) }));
    if (!ok) throw new Error(`journal refused record ${n}`);
  }
}
