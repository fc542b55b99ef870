import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

export interface AcceptedBundle {
  readonly serial: number;
  readonly digest: string;
}

export interface SerialState {
  /** The highest bundle ever accepted, or undefined on a fresh install. */
  read(): AcceptedBundle | undefined;
  write(accepted: AcceptedBundle): Promise<void>;
}

/**
 * The rollback high-water mark, persisted so a restarted proxy refuses a bundle older than one it
 * already enforced (an attacker replaying an old, validly signed bundle with looser rules).
 */
export async function openSerialState(stateDir: string): Promise<SerialState> {
  await mkdir(stateDir, { recursive: true });
  // Not JSONFilePreset: it silently keeps state in memory when NODE_ENV=test, so a restart test
  // would pass (or fail) without the mark ever reaching the disk.
  const db = new Low<{ accepted: AcceptedBundle | null }>(new JSONFile(join(stateDir, 'bundle-state.json')), { accepted: null });
  await db.read();
  return {
    read: () => db.data.accepted ?? undefined,
    write: (accepted) => db.update((data) => void (data.accepted = accepted)),
  };
}
