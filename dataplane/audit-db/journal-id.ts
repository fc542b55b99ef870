import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Names the journal in the database (its cursor, and each row's journal_id). */
export const JOURNAL_ID_FILE = 'journal.id';

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The journal's id: the content of `journal.id` in the journal directory, created with a random
 * UUID the first time. Kept with the journal rather than derived from the host name, so a replica
 * that moves to another host with its volume keeps its cursor, and two replicas never share one.
 */
export async function journalIdFor(dir: string): Promise<string> {
  const path = join(dir, JOURNAL_ID_FILE);
  const existing = await readId(path);
  if (existing !== null) return existing;
  try {
    // 'wx': two processes starting together cannot both write an id; the loser reads the winner's.
    await writeFile(path, `${randomUUID()}\n`, { flag: 'wx', mode: 0o640 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const created = await readId(path);
  if (created === null) throw new Error(`${path} does not hold a journal id (1-128 characters of A-Z a-z 0-9 . _ : @ -)`);
  return created;
}

export function isJournalId(value: string): boolean {
  return ID.test(value);
}

async function readId(path: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const id = text.trim();
  if (!ID.test(id)) throw new Error(`${path} does not hold a journal id (1-128 characters of A-Z a-z 0-9 . _ : @ -)`);
  return id;
}
