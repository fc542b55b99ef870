import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { BundleStore } from './bundle-store.ts';

export interface BundleSource {
  /** Loads once (resolving when the first attempt finished), then keeps watching. */
  start(): Promise<void>;
  stop(): void;
}

/**
 * A bundle file, re-read when it changes. The directory is watched (the compiler replaces the file
 * by rename, which a watch on the file itself would miss) and polled as a fallback for filesystems
 * without change events.
 */
export function fileBundleSource(file: string, store: BundleStore, pollMs: number): BundleSource {
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let lastSeen = '';
  let running = Promise.resolve();

  const load = () => {
    running = running.then(async () => {
      const info = await stat(file).catch(() => undefined);
      if (!info) return void store.reportError('bundle_unreadable', `bundle file ${file} does not exist`);
      const fingerprint = `${info.ino}:${info.size}:${info.mtimeMs}`;
      if (fingerprint === lastSeen) return;
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) return void store.reportError('bundle_unreadable', `cannot read bundle file ${file}`);
      lastSeen = fingerprint;
      await store.offerSigned(text, `file:${file}`);
    });
    return running;
  };

  return {
    async start() {
      await load();
      try {
        watcher = watch(dirname(file), (_event, name) => {
          if (name === null || name === basename(file)) void load();
        });
        watcher.on('error', () => undefined);
      } catch {
        // No watch support: the poll below still picks changes up.
      }
      timer = setInterval(() => void load(), pollMs);
      timer.unref();
    },
    stop() {
      watcher?.close();
      if (timer) clearInterval(timer);
    },
  };
}
