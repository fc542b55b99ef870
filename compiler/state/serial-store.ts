import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

interface CompilerState {
  /** The highest serial ever handed out. */
  serial: number;
}

/**
 * Hands out bundle serials that are never reused. The next serial is above both the stored one and
 * the current time in milliseconds, so a compiler whose state file was lost (a fresh CI runner)
 * still issues serials above everything it issued before, instead of restarting at 1 and being
 * refused by every proxy as a rollback.
 */
export async function nextSerial(stateFile: string, now: number = Date.now()): Promise<number> {
  await mkdir(dirname(stateFile), { recursive: true });
  // Not JSONFilePreset: under NODE_ENV=test it keeps state in memory and serials would repeat.
  const db = new Low<CompilerState>(new JSONFile(stateFile), { serial: 0 });
  await db.read();
  let serial = 0;
  await db.update((state) => {
    serial = Math.max((Number.isSafeInteger(state.serial) ? state.serial : 0) + 1, now);
    state.serial = serial;
  });
  return serial;
}
