import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { readLastLines, setAsideTornFragment } from './file-end.ts';
import { readHead } from './head-file.ts';
import { HEAD_FILE, ZERO_HASH, hashLine, listJournalFiles, parseJournalLine } from './journal-files.ts';

/** Where the chain ends: the file, seq and hash the next line builds on. */
export interface JournalPosition {
  readonly file: string | null;
  readonly seq: number;
  readonly hash: string;
}

/**
 * The journal on disk cannot be continued without a person looking at it (tampering, or data lost
 * that the head file says was written). Writing on would bury the evidence under new lines and a
 * new head file, so the journal stays not writable and the proxy fails closed.
 */
export class JournalBlockedError extends Error {
  constructor(dir: string, problem: string) {
    super(`${problem}; the journal will not write on top of it. Run "aigate audit verify ${dir}"; after investigating, move the journal files out of the directory to start a new chain`);
    this.name = 'JournalBlockedError';
  }
}

/**
 * Finds where to continue: the last complete line of the newest journal file with one. A torn
 * fragment after it (a crash mid-write) is moved aside first. The result is checked against the
 * head file, which is only rewritten after a batch is written and synced, so it is never legitimately
 * ahead of the data.
 */
export async function recoverJournal(dir: string, now: Date): Promise<JournalPosition & { readonly torn: readonly string[] }> {
  const files = await listJournalFiles(dir);
  const head = await readHead(dir);
  if (head.kind === 'invalid') throw new JournalBlockedError(dir, head.message);
  const torn: string[] = [];
  let position: JournalPosition = { file: null, seq: 0, hash: ZERO_HASH };
  for (let i = files.length - 1; i >= 0 && position.file === null; i--) {
    const name = files[i] as string;
    const path = join(dir, name);
    const handle = await open(path, 'r+');
    try {
      const size = (await handle.stat()).size;
      const { lines, end } = await readLastLines(handle, size, 1);
      if (end < size) torn.push(await setAsideTornFragment(handle, path, end, size, now));
      const last = lines[0];
      // An empty file was created just before a crash; the chain ends in an older one.
      if (last === undefined) continue;
      const line = parseJournalLine(last);
      if (!line) throw new JournalBlockedError(dir, `the last line of ${name} is not a journal line`);
      position = { file: name, seq: line.seq, hash: hashLine(last) };
    } finally {
      await handle.close();
    }
  }
  if (head.kind === 'missing') {
    if (position.file !== null) throw new JournalBlockedError(dir, `journal files exist but ${HEAD_FILE} is missing, so lines removed from the end could not be detected`);
  } else if (head.head.seq > position.seq) {
    throw new JournalBlockedError(dir, `${HEAD_FILE} records seq ${head.head.seq} in ${head.head.file}, but the journal ends at seq ${position.seq}: lines were removed from its end`);
  } else if (head.head.seq === position.seq && head.head.hash !== position.hash) {
    throw new JournalBlockedError(dir, `the last line (seq ${position.seq}) does not match ${HEAD_FILE}: it was changed`);
  }
  return { ...position, torn };
}
