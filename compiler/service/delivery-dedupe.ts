import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

interface DedupeState {
  /** Delivery keys, oldest first. */
  keys: string[];
}

export interface DeliveryDedupe {
  /** True the first time a key is seen (and remembers it); false for a redelivery. */
  firstSeen(key: string): boolean;
  /** Resolves when everything remembered so far is on disk. */
  flush(): Promise<void>;
}

/**
 * The last `size` webhook delivery keys, in memory for the answer and persisted with lowdb so a
 * restart still drops GitLab's redeliveries. Writes happen after the answer (a webhook must be
 * acknowledged fast) and coalesce: many deliveries, one rewrite of the file. Losing the last few
 * keys in a crash only means an event is processed twice, which is harmless (a recompile).
 */
export async function openDeliveryDedupe(file: string, size: number): Promise<DeliveryDedupe> {
  await mkdir(dirname(file), { recursive: true });
  // Not JSONFilePreset: under NODE_ENV=test it silently keeps state in memory only.
  const db = new Low<DedupeState>(new JSONFile(file), { keys: [] });
  await db.read();
  if (!Array.isArray(db.data.keys)) db.data = { keys: [] };
  const seen = new Set(db.data.keys);
  let writing: Promise<void> | undefined;
  let dirty = false;

  const write = (): Promise<void> => {
    if (writing) {
      dirty = true;
      return writing;
    }
    writing = (async () => {
      do {
        dirty = false;
        await db.write();
      } while (dirty);
    })().finally(() => {
      writing = undefined;
    });
    return writing;
  };

  return {
    firstSeen(key) {
      if (seen.has(key)) return false;
      seen.add(key);
      db.data.keys.push(key);
      while (db.data.keys.length > size) seen.delete(db.data.keys.shift() ?? '');
      void write().catch(() => undefined);
      return true;
    },
    async flush() {
      while (writing) await writing;
    },
  };
}
