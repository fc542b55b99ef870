import { join } from 'node:path';
import { validateAuditRecord } from '../../schemas/generated/audit-record.validate.js';
import type { AuditRecordV1 } from '../audit/audit-record.ts';
import { listJournalFiles, parseJournalLine } from '../audit/journal-files.ts';
import { readLines } from '../audit/read-lines.ts';
import { matchesQuery, newestFirst, type AuditQuery } from './audit-query.ts';

interface Match {
  readonly record: AuditRecordV1;
  readonly seq: number;
}

/**
 * The newest `q.limit` records of a local journal that match `q`. Day files are read newest first,
 * streaming, keeping only the last `limit` matches of each. A file's records are never newer than
 * its day, so files that ended before `since` are not read; once enough matches are found one more
 * (older) file is read, because records written just after midnight can be older than some in the
 * file before. Lines that are not valid records are passed over (`aigate audit verify` judges).
 */
export async function queryJournal(dir: string, q: AuditQuery): Promise<AuditRecordV1[]> {
  const files = (await listJournalFiles(dir)).reverse();
  const found: Match[] = [];
  let enoughBefore = false;
  for (const file of files) {
    const day = Date.parse(`${file.slice('audit-'.length, 'audit-YYYY-MM-DD'.length)}T00:00:00Z`);
    if (q.since !== undefined && day + 86_400_000 <= q.since.getTime()) break;
    found.push(...(await lastMatches(join(dir, file), q)));
    if (found.length >= q.limit) {
      if (enoughBefore) break;
      enoughBefore = true;
    }
  }
  return found.sort(newestFirst).slice(0, q.limit).map((m) => m.record);
}

async function lastMatches(path: string, q: AuditQuery): Promise<Match[]> {
  const ring: Match[] = [];
  for await (const line of readLines(path)) {
    if (!line.terminated) continue;
    const parsed = parseJournalLine(line.bytes);
    if (parsed === null || !validateAuditRecord(parsed.record) || !matchesQuery(parsed.record, q)) continue;
    ring.push({ record: parsed.record, seq: parsed.seq });
    // Trimmed in bulk: shift() per line would copy the array each time for a large limit.
    if (ring.length >= 2 * q.limit + 64) ring.splice(0, ring.length - q.limit);
  }
  return ring.slice(-q.limit);
}
