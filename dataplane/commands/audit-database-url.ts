import { UsageError } from '../../cli/exit-error.ts';

/** Read when --database-url is not given, so the URL (and its password) need not be on the command line. */
export const DATABASE_URL_ENV = 'AIGATE_DATABASE_URL';

/**
 * The PostgreSQL URL of a command: --database-url, else $AIGATE_DATABASE_URL, else undefined.
 * A value that is not a postgres:// URL is a usage error; the message never repeats it (it may
 * hold a password).
 */
export function databaseUrlOption(command: string, flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const url = flag ?? (env[DATABASE_URL_ENV] || undefined);
  if (url === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') throw new UsageError(`aigate ${command}: the database URL must look like postgres://user@host:5432/dbname`, flag === undefined ? `check ${DATABASE_URL_ENV}` : undefined);
  return url;
}
