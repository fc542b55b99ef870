import type { JournalLineV1 } from '../audit/audit-record.ts';

/**
 * One record as one line of text for `aigate audit tail`: time, decision, status, then key=value
 * fields. Values come from clients (model names, user agents, paths), so control characters,
 * whitespace and bidirectional overrides are escaped: a record must not be able to rewrite the
 * operator's terminal or fake extra fields.
 */
export function formatRecordText(line: JournalLineV1): string {
  const r = line.record;
  const redactions = Object.entries(r.redactions)
    .map(([rule, count]) => `${rule}:${count}`)
    .join(',');
  const fields: Array<[string, string | number | null | undefined]> = [
    ['user', r.user?.username],
    ['repo', r.repo?.path],
    ['provider', r.provider],
    ['model', r.model],
    ['route', r.route],
    ['reason', r.reason],
    ['redactions', redactions || null],
    ['id', r.request_id],
  ];
  const rest = fields.map(([name, value]) => `${name}=${value === null || value === undefined ? '-' : safeText(String(value))}`);
  return [safeText(r.time), r.decision.padEnd(5), String(r.status), ...rest].join(' ');
}

// Escaped: C0/C1 controls, space, DEL, line/paragraph separators, bidi embeddings and isolates.
const UNSAFE = /[\u0000-\u0020\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text from a record, made safe to print on a terminal (see UNSAFE). */
export function safeText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
