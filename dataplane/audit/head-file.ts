import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { HEAD_FILE, isHash, isJournalFileName } from './journal-files.ts';

/** `journal.head.json`: the last line the writer knows to be on disk. */
export interface JournalHead {
  readonly file: string;
  readonly seq: number;
  readonly hash: string;
}

export type HeadRead = { readonly kind: 'missing' } | { readonly kind: 'invalid'; readonly message: string } | { readonly kind: 'ok'; readonly head: JournalHead };

export async function readHead(dir: string): Promise<HeadRead> {
  let text: string;
  try {
    text = await readFile(join(dir, HEAD_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const { file, seq, hash } = value;
    if (typeof file === 'string' && isJournalFileName(file) && Number.isSafeInteger(seq) && (seq as number) >= 0 && isHash(hash)) {
      return { kind: 'ok', head: { file, seq: seq as number, hash } };
    }
    return { kind: 'invalid', message: `${HEAD_FILE} does not have the shape {file, seq, hash}` };
  } catch {
    return { kind: 'invalid', message: `${HEAD_FILE} is not valid JSON` };
  }
}

/**
 * Replaces the head file atomically (write a temporary file, then rename over the old one), so a
 * reader or a crash sees either the old or the new head, never a mix. With `fsync` the temporary
 * file's data is synced before the rename: otherwise a power loss could leave an empty head, which
 * the next open would have to treat as tampering. The directory is not synced: losing the rename
 * only leaves an older head, which is harmless (it is behind the data, never ahead of it).
 */
export async function writeHead(dir: string, head: JournalHead, fsync: boolean): Promise<void> {
  const tmp = join(dir, `${HEAD_FILE}.tmp`);
  const handle = await open(tmp, 'w', 0o640);
  try {
    await handle.writeFile(`${JSON.stringify({ file: head.file, seq: head.seq, hash: head.hash })}\n`);
    if (fsync) await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(tmp, join(dir, HEAD_FILE));
}
