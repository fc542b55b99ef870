import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CredentialsFileError } from './credentials-file.ts';

/** A lock older than this belongs to a process that died; it is broken. */
const STALE_MS = 30_000;

/**
 * Runs `fn` while holding `<path>.lock` (created with O_EXCL). Several `aigate token` processes
 * started at once by an assistant would otherwise all refresh with the same refresh token, and
 * GitLab's rotation would sign every one but the first out.
 */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const lock = `${path}.lock`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.close();
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw new CredentialsFileError(`cannot create ${lock} (${code ?? 'error'})`, { cause: error });
      const age = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (age > STALE_MS) await rm(lock, { force: true });
      else if (Date.now() > deadline) throw new CredentialsFileError(`another aigate is refreshing the token (${lock} is held); try again`);
      else await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
