import { watch, type FSWatcher } from 'node:fs';

export interface DirectoryWatcher {
  /** Forget earlier changes; call before reading, so a change during the read is not lost. */
  reset(): void;
  /** Resolves on a change since the last reset, after `pollMs` at the latest, or on abort. */
  changed(): Promise<void>;
  close(): void;
}

/**
 * fs.watch on the directory for prompt wake-ups, plus a timeout as the fallback: inotify misses
 * writes made through other mounts (NFS, some container volumes) and may not exist at all.
 */
export function watchDirectory(dir: string, pollMs: number, signal: AbortSignal | undefined): DirectoryWatcher {
  let dirty = false;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    dirty = true;
    wake?.();
  };
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dir, { persistent: false }, notify);
    watcher.on('error', () => {
      watcher?.close();
      watcher = null;
    });
  } catch {
    watcher = null;
  }
  signal?.addEventListener('abort', notify);
  return {
    reset: () => void (dirty = false),
    changed: () =>
      new Promise<void>((resolve) => {
        if (dirty || signal?.aborted) return resolve();
        const timer = setTimeout(done, pollMs);
        function done(): void {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
        wake = done;
      }),
    close: () => {
      watcher?.close();
      signal?.removeEventListener('abort', notify);
    },
  };
}
