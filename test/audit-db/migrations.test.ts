import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { connectDatabase } from '../../dataplane/audit-db/connect-database.ts';
import { loadMigrations, migrateDatabase, MigrationError } from '../../dataplane/audit-db/migrate.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { query, testDatabase } from './pg-helpers.ts';

async function connect(url: string) {
  const db = await connectDatabase(url);
  onTestFinished(() => db.end());
  return db;
}

describe('audit database migrations', () => {
  it('applies every migration once, in order, and nothing on the next run', async () => {
    const url = await testDatabase();
    const db = await connect(url);
    const first = await migrateDatabase(db);
    expect(first.applied).toEqual(['0001_ai_requests.sql', '0002_audit_cursors.sql']);
    expect(first.current).toBe(2);
    expect(await migrateDatabase(db)).toEqual({ applied: [], current: 2, unknown: [] });
    const tables = await query<{ t: string }>(url, `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.map((r) => r.t)).toEqual(['ai_requests', 'aigate_schema_migrations', 'audit_cursors']);
    const partitioned = await query(url, `SELECT relname FROM pg_class WHERE relkind = 'p' AND relname = 'ai_requests'`);
    expect(partitioned).toHaveLength(1);
  });

  it('is safe when several replicas migrate at the same time', async () => {
    const url = await testDatabase();
    const dbs = await Promise.all([connect(url), connect(url), connect(url)]);
    const results = await Promise.all(dbs.map((db) => migrateDatabase(db)));
    expect(results.flatMap((r) => r.applied).sort()).toEqual(['0001_ai_requests.sql', '0002_audit_cursors.sql']);
  });

  it('refuses to go on when an applied migration file was edited', async () => {
    const url = await testDatabase();
    const db = await connect(url);
    const dir = tempDir();
    mkdirSync(join(dir, 'm'));
    cpSync(new URL('../../dataplane/audit-db/migrations/', import.meta.url), join(dir, 'm'), { recursive: true });
    const migrations = pathToFileURL(`${join(dir, 'm')}/`);
    await migrateDatabase(db, await loadMigrations(migrations));
    writeFileSync(join(dir, 'm', '0002_audit_cursors.sql'), '-- edited\nSELECT 1;');
    await expect(migrateDatabase(db, await loadMigrations(migrations))).rejects.toThrow(MigrationError);
    await expect(migrateDatabase(db, await loadMigrations(migrations))).rejects.toThrow(/0002_audit_cursors.sql was changed after it was applied/);
  });

  it('reports versions a newer aigate applied instead of failing', async () => {
    const url = await testDatabase();
    const db = await connect(url);
    await migrateDatabase(db);
    await db.query(`INSERT INTO aigate_schema_migrations (version, name, checksum) VALUES (3, '0003_future.sql', 'x')`);
    expect(await migrateDatabase(db)).toEqual({ applied: [], current: 3, unknown: [3] });
  });

  it('rolls back a migration that fails, leaving no half-applied version', async () => {
    const url = await testDatabase();
    const db = await connect(url);
    const dir = tempDir({ '0001_ok.sql': 'CREATE TABLE t1 (a int);', '0002_bad.sql': 'CREATE TABLE t2 (a int); SELECT nonsense FROM nowhere;' });
    await expect(migrateDatabase(db, await loadMigrations(pathToFileURL(`${dir}/`)))).rejects.toThrow(/0002_bad.sql failed/);
    const tables = await query<{ t: string }>(url, `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.map((r) => r.t)).toEqual(['aigate_schema_migrations', 't1']);
  });
});
