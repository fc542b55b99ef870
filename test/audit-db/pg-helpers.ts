import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { onTestFinished } from 'vitest';

export const PG_PORT = 5432;
const ADMIN_URL = `postgres://postgres@127.0.0.1:${PG_PORT}/postgres`;

/** URL of a database through another port (a TCP proxy in front of PostgreSQL). */
export function viaPort(url: string, port: number): string {
  const u = new URL(url);
  u.port = String(port);
  return u.toString();
}

/** A database of the test's own (random name), dropped when the test ends. */
export async function testDatabase(): Promise<string> {
  const name = `aigate_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  onTestFinished(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return `postgres://postgres@127.0.0.1:${PG_PORT}/${name}`;
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Runs one query on a fresh connection (the test's view of the database, not the shipper's). */
export async function query<T extends Record<string, unknown> = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
