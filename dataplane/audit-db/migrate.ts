import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { ClientBase } from 'pg';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export interface MigrationResult {
  /** Versions applied by this call, in order. */
  readonly applied: readonly string[];
  /** The highest version now in the database. */
  readonly current: number;
  /** Versions in the database that this aigate does not know (a newer aigate migrated it). */
  readonly unknown: readonly number[];
}

/** A migration file was edited after it was applied: the database no longer matches the files. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;
/** pg_advisory_lock key: replicas starting together migrate one at a time. ("aigate" in ASCII.) */
const LOCK_KEY = 0x616967617465;

/** The migration files shipped with aigate, in version order. */
export async function loadMigrations(dir: URL | string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => FILE.test(n)).sort();
  const migrations: Migration[] = [];
  for (const name of names) {
    const [, version] = FILE.exec(name) as RegExpExecArray;
    const sql = await readFile(new URL(name, dir), 'utf8');
    migrations.push({ version: Number(version), name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration files must be numbered 0001, 0002, … without gaps; ${m.name} is number ${i + 1}`);
  });
  return migrations;
}

/**
 * Applies every migration the database lacks, each in its own transaction together with its row in
 * aigate_schema_migrations. Safe to run from several replicas at once (an advisory lock serialises
 * them) and at every start (applied versions are skipped). Refuses to continue when an applied
 * migration's file changed since, because the schema would then not be what the code expects.
 */
export async function migrateDatabase(client: ClientBase, migrations?: readonly Migration[]): Promise<MigrationResult> {
  const files = migrations ?? (await loadMigrations());
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS aigate_schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const rows = (await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM aigate_schema_migrations ORDER BY version')).rows;
    const done = new Map(rows.map((r) => [r.version, r]));
    for (const file of files) {
      const row = done.get(file.version);
      if (row && row.checksum !== file.checksum) throw new MigrationError(`migration ${file.name} was changed after it was applied to this database (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… in the file); restore the file, or add a new migration instead of editing an applied one`);
    }
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query('INSERT INTO aigate_schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [file.version, file.name, file.checksum]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`migration ${file.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      applied.push(file.name);
    }
    const known = new Set(files.map((f) => f.version));
    const unknown = rows.map((r) => r.version).filter((v) => !known.has(v));
    return { applied, current: Math.max(0, ...rows.map((r) => r.version), ...files.map((f) => f.version)), unknown };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
  }
}
