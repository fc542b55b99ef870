import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditRecordV1, JournalLineV1 } from './audit-record.ts';

/** A schema-valid record for tests; `n` makes request ids (and so lines) distinct. */
export function auditRecord(n: number, overrides: Partial<AuditRecordV1> = {}): AuditRecordV1 {
  return {
    schema_version: 1,
    time: '2025-03-04T10:00:00.000Z',
    request_id: `req-${n}`,
    method: 'POST',
    route: '/anthropic/v1/messages',
    user: { id: 7, username: 'alice', email: 'alice@example.com' },
    repo: { id: 42, path: 'group/app' },
    provider: 'anthropic',
    model: 'claude-sonnet-4',
    stream: false,
    decision: 'allow',
    reason: null,
    status: 200,
    redactions: {},
    withheld_paths: [],
    bytes_in: 100,
    bytes_out: 200,
    upstream_status: 200,
    key_index: 0,
    latency_ms: { total: 12, ttfb: 5, upstream: 4, gitlab: 1 },
    bundle_serial: 3,
    ...overrides,
  };
}

/** The raw lines of one journal file (without the final empty piece). */
export function rawLines(dir: string, file: string): string[] {
  const text = readFileSync(join(dir, file), 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function parsedLines(dir: string, file: string): JournalLineV1[] {
  return rawLines(dir, file).map((l) => JSON.parse(l) as JournalLineV1);
}

/** A clock the test moves by hand. */
export function manualClock(start: string): { now: () => Date; set: (iso: string) => void } {
  let current = new Date(start);
  return { now: () => current, set: (iso) => void (current = new Date(iso)) };
}
