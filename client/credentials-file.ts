import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One GitLab sign-in. The client secret of a confidential application is never stored. */
export interface StoredLogin {
  readonly access_token: string;
  readonly refresh_token: string | null;
  readonly token_type: string;
  readonly scope: string;
  /** Epoch seconds (local clock) when the access token stops working. */
  readonly expires_at: number;
  readonly client_id: string;
  /** Sent again on refresh: GitLab checks it for applications signed in with a redirect. */
  readonly redirect_uri: string | null;
  readonly username: string | null;
  readonly user_id: number | null;
}

export interface CredentialsFile {
  readonly version: 1;
  /** Keyed by normalized GitLab URL. */
  readonly logins: Readonly<Record<string, StoredLogin>>;
}

const EMPTY: CredentialsFile = { version: 1, logins: {} };

/** The file cannot be read or written as aigate credentials: the user must fix it (exit 1, not a bug). */
export class CredentialsFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CredentialsFileError';
  }
}

/** The stored logins; a missing file is empty. `insecure`: group or others may read it. */
export async function readCredentialsFile(path: string): Promise<{ file: CredentialsFile; insecure: boolean }> {
  let text: string;
  let mode = 0o600;
  try {
    text = await readFile(path, 'utf8');
    mode = (await stat(path)).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file: EMPTY, insecure: false };
    throw new CredentialsFileError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
  let parsed: Partial<CredentialsFile>;
  try {
    parsed = JSON.parse(text) as Partial<CredentialsFile>;
  } catch {
    parsed = {};
  }
  if (parsed.version !== 1 || typeof parsed.logins !== 'object' || parsed.logins === null) throw new CredentialsFileError(`${path} is not an aigate credentials file (version 1)`);
  return { file: { version: 1, logins: parsed.logins }, insecure: (mode & 0o077) !== 0 };
}

/**
 * Replaces the file atomically. The new file is *created* with mode 0600 (O_EXCL, so an attacker's
 * pre-placed file or symlink is never written through) in a 0700 directory, then renamed over the
 * old one: at no moment does a readable copy of the tokens exist.
 */
export async function writeCredentialsFile(path: string, file: CredentialsFile): Promise<void> {
  try {
    await writeAtomically(path, file);
  } catch (error) {
    if (error instanceof CredentialsFileError) throw error;
    throw new CredentialsFileError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}

async function writeAtomically(path: string, file: CredentialsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function saveLogin(path: string, gitlabUrl: string, login: StoredLogin): Promise<void> {
  const { file } = await readCredentialsFile(path);
  await writeCredentialsFile(path, { version: 1, logins: { ...file.logins, [gitlabUrl]: login } });
}
