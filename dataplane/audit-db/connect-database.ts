import { Client } from 'pg';

export interface DatabaseConnectOptions {
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
  /** Connecting gives up after this long (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** A query without an answer after this long fails on the client side (default 30 s). */
  readonly queryTimeoutMs?: number;
}

/**
 * One PostgreSQL connection with timeouts on both connecting and querying, so an unreachable or
 * hanging database turns into an error the caller can retry instead of a wait without end. An
 * error on the idle connection (server restart, network cut) marks it broken instead of crashing
 * the process (pg emits it as an 'error' event).
 */
export async function connectDatabase(url: string, options: DatabaseConnectOptions = {}): Promise<Client & { broken: () => string | null }> {
  const client = new Client({
    connectionString: url,
    application_name: options.applicationName ?? 'aigate',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    query_timeout: options.queryTimeoutMs ?? 30_000,
    keepAlive: true,
  });
  let broken: string | null = null;
  client.on('error', (error: Error) => void (broken = error.message));
  client.on('end', () => void (broken ??= 'connection closed'));
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(`cannot connect to PostgreSQL at ${describeDatabaseUrl(url)}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return Object.assign(client, { broken: () => broken });
}

/** host:port/database of a connection URL, without user or password: safe for logs and errors. */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable database URL)';
  }
}

/**
 * Ends a connection without waiting on a network that swallows packets: end() waits for the server
 * to close its side, which a half-open connection never does. After `graceMs` the socket is cut.
 */
export async function closeDatabase(client: Client, graceMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = client.end().then(() => true, () => true);
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)));
  const closed = await Promise.race([ended, late]);
  clearTimeout(timer);
  if (!closed) (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}
