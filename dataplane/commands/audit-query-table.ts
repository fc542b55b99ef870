import type { AuditRecordV1 } from '../audit/audit-record.ts';
import { safeText } from './audit-format.ts';

const COLUMNS: ReadonlyArray<readonly [string, (r: AuditRecordV1) => string | number | null | undefined, number]> = [
  ['TIME', (r) => r.time, 24],
  ['DECISION', (r) => r.decision, 8],
  ['STATUS', (r) => r.status, 6],
  ['USER', (r) => r.user?.username, 24],
  ['REPO', (r) => r.repo?.path, 40],
  ['PROVIDER', (r) => r.provider, 10],
  ['MODEL', (r) => r.model, 28],
  ['REASON', (r) => r.reason, 28],
  ['REQUEST ID', (r) => r.request_id, 64],
];

/**
 * Records as an aligned table, one per line, `-` for null. Values are escaped like `audit tail`
 * does (they come from clients) and cut to a column's maximum width with `…`.
 */
export function formatRecordTable(records: readonly AuditRecordV1[]): string {
  const cells = records.map((r) => COLUMNS.map(([, get, max]) => cut(cellText(get(r)), max)));
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: readonly string[]) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
  return [line(COLUMNS.map(([title]) => title)), ...cells.map(line)].join('\n') + '\n';
}

function cellText(value: string | number | null | undefined): string {
  return value === null || value === undefined ? '-' : safeText(String(value));
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
