import type { AuditRecordV1 } from '../audit/audit-record.ts';

/** What `aigate audit query` selects; the same meaning on a journal and in the database. */
export interface AuditQuery {
  /** GitLab username or email, compared case-insensitively. */
  readonly user?: string;
  /** A repository path (case-insensitive), or `group/*` for every project under a group. */
  readonly repo?: string;
  readonly provider?: string;
  readonly decision?: 'allow' | 'deny' | 'error';
  readonly reason?: string;
  /** Records at or after this time. */
  readonly since?: Date;
  /** Records before this time. */
  readonly until?: Date;
  /** Most records returned, newest first. */
  readonly limit: number;
}

/** `group/*` → `group/` (a path prefix), or null for an exact path. */
export function repoPrefix(repo: string): string | null {
  return repo.endsWith('/*') ? repo.slice(0, -1).toLowerCase() : null;
}

export function matchesQuery(r: AuditRecordV1, q: AuditQuery): boolean {
  if (q.user !== undefined) {
    const user = q.user.toLowerCase();
    if (r.user === null || (r.user.username.toLowerCase() !== user && r.user.email?.toLowerCase() !== user)) return false;
  }
  if (q.repo !== undefined) {
    const path = r.repo?.path.toLowerCase();
    const prefix = repoPrefix(q.repo);
    if (path === undefined || (prefix === null ? path !== q.repo.toLowerCase() : !path.startsWith(prefix))) return false;
  }
  if (q.provider !== undefined && r.provider !== q.provider) return false;
  if (q.decision !== undefined && r.decision !== q.decision) return false;
  if (q.reason !== undefined && r.reason !== q.reason) return false;
  const time = Date.parse(r.time);
  if (q.since !== undefined && !(time >= q.since.getTime())) return false;
  if (q.until !== undefined && !(time < q.until.getTime())) return false;
  return true;
}

/** Newest first; ties (same millisecond) by journal order, newest first. */
export function newestFirst(a: { record: AuditRecordV1; seq: number }, b: { record: AuditRecordV1; seq: number }): number {
  return Date.parse(b.record.time) - Date.parse(a.record.time) || b.seq - a.seq;
}

const RELATIVE = /^(\d+)(s|m|h|d|w)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * A time bound as typed on the command line: `30m`, `24h`, `7d` (that long before `now`),
 * `2025-03-04` (midnight UTC) or an RFC 3339 time. Null when it is none of these.
 */
export function parseTimeBound(text: string, now: Date): Date | null {
  const relative = RELATIVE.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS]);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) text = `${text}T00:00:00Z`;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) return null;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time);
}
