import type { ClientBase } from 'pg';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const PARTITION = /^ai_requests_p(\d{4})(\d{2})(\d{2})$/;
/** Serialises partition DDL between replicas (CREATE … IF NOT EXISTS alone races on the catalog). */
const LOCK_KEY = 0x61696761746570;

/** `YYYY-MM-DD` of a time, in UTC: partitions are UTC days, like the journal's day files. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** `ai_requests_p20250304` for 2025-03-04. */
export function partitionName(day: string): string {
  checkDay(day);
  return `ai_requests_p${day.replaceAll('-', '')}`;
}

/** The day a partition holds, or null for a table that is not one of ours. */
export function partitionDay(name: string): string | null {
  const m = PARTITION.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/**
 * Creates the day partitions that do not exist yet and returns the names created. There is no
 * DEFAULT partition on purpose: a row for a day without a partition fails its insert (and the
 * shipper creates the partition and retries) instead of landing in a catch-all that would later
 * block creating that day's partition and could never be dropped by day.
 */
export async function ensurePartitions(client: ClientBase, days: Iterable<string>): Promise<string[]> {
  const wanted = [...new Set(days)].sort();
  if (wanted.length === 0) return [];
  const existing = new Set(await listPartitionNames(client));
  const missing = wanted.filter((day) => !existing.has(partitionName(day)));
  if (missing.length === 0) return [];
  const created: string[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const now = new Set(await listPartitionNames(client));
    for (const day of missing) {
      const name = partitionName(day);
      if (now.has(name)) continue;
      // Identifiers and bounds come from checked YYYY-MM-DD strings only, never from records.
      await client.query(`CREATE TABLE ${name} PARTITION OF ai_requests FOR VALUES FROM ('${day}T00:00:00Z') TO ('${addDays(day, 1)}T00:00:00Z')`);
      created.push(name);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return created;
}

/** Our day partitions of ai_requests, oldest first. */
export async function listPartitionNames(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ai_requests'::regclass`,
  );
  return rows.map((r) => r.name).filter((n) => partitionDay(n) !== null).sort();
}

/**
 * Drops the partitions of days before `today − retentionDays` (UTC) and returns their names: with
 * 30 days, on 2025-03-31 the partition of 2025-02-28 and older ones go, 2025-03-01 stays. Dropping a
 * partition is instant whatever its size and leaves no dead rows to vacuum, unlike DELETE.
 */
export async function dropExpiredPartitions(client: ClientBase, retentionDays: number, now: Date): Promise<string[]> {
  if (!Number.isSafeInteger(retentionDays) || retentionDays < 1) throw new TypeError('retention days must be a positive integer');
  const keepFrom = retentionStart(retentionDays, now);
  const expired = (await listPartitionNames(client)).filter((name) => (partitionDay(name) as string) < keepFrom);
  if (expired.length === 0) return [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    for (const name of expired) await client.query(`DROP TABLE IF EXISTS ${name}`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return expired;
}

/** The first day retention keeps: records of earlier days are dropped (and not shipped). */
export function retentionStart(retentionDays: number, now: Date): string {
  return addDays(utcDay(now), -retentionDays);
}

function checkDay(day: string): void {
  if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new TypeError(`not a day: ${JSON.stringify(day)}`);
}
