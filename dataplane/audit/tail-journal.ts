import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { JournalLineV1 } from './audit-record.ts';
import { readLastLines, readFully } from './file-end.ts';
import { listJournalFiles, parseJournalLine } from './journal-files.ts';
import { watchDirectory } from './watch-directory.ts';

export interface TailOptions {
  /** Keep waiting for new lines (and new day files) instead of ending after the last ones. */
  readonly follow: boolean;
  /** How many of the newest lines to start with (default 10). */
  readonly lines?: number;
  /** Ends a follow (the iteration then finishes normally). */
  readonly signal?: AbortSignal;
  /** Polling fallback for file systems where fs.watch misses changes (NFS, some containers). */
  readonly pollIntervalMs?: number;
}

const READ_CHUNK = 256 * 1024;

/**
 * The newest `lines` journal lines, then (with `follow`) every line appended afterwards, across
 * day files in chain order. Only complete lines are returned: a line being written is picked up
 * once its newline is there. Lines that do not parse are skipped; `verifyJournal` judges integrity.
 */
export async function* tailJournal(dir: string, options: TailOptions): AsyncGenerator<JournalLineV1> {
  const count = options.lines ?? 10;
  if (!Number.isSafeInteger(count) || count < 0) throw new TypeError('tailJournal: lines must be a non-negative integer');
  const files = await listJournalFiles(dir);
  const start = await lastLines(dir, files, count);
  for (const bytes of start.lines) {
    const line = parseJournalLine(bytes);
    if (line) yield line;
  }
  if (!options.follow || options.signal?.aborted) return;

  const watcher = watchDirectory(dir, options.pollIntervalMs ?? 500, options.signal);
  try {
    let file = files.at(-1) ?? null;
    let offset = start.end;
    while (!options.signal?.aborted) {
      watcher.reset();
      if (file !== null) {
        const read = await readNewLines(join(dir, file), offset);
        offset = read.offset;
        for (const line of read.lines) yield line;
      }
      const next = (await listJournalFiles(dir).catch(() => [])).find((name) => file === null || name > file);
      if (next === undefined) {
        await watcher.changed();
        continue;
      }
      if (file !== null) {
        // The writer only starts a new day file after its last write to the old one, so one more
        // read of the old file cannot miss anything.
        const read = await readNewLines(join(dir, file), offset);
        for (const line of read.lines) yield line;
      }
      file = next;
      offset = 0;
    }
  } finally {
    watcher.close();
  }
}

/** The last `count` complete lines over the newest files, and where the newest file's complete lines end. */
async function lastLines(dir: string, files: readonly string[], count: number): Promise<{ lines: Buffer[]; end: number }> {
  const lines: Buffer[] = [];
  let end = 0;
  for (let i = files.length - 1; i >= 0; i--) {
    const handle = await open(join(dir, files[i] as string), 'r');
    try {
      const found = await readLastLines(handle, (await handle.stat()).size, count - lines.length);
      if (i === files.length - 1) end = found.end;
      lines.unshift(...found.lines);
    } finally {
      await handle.close();
    }
    if (lines.length >= count) break;
  }
  return { lines, end };
}

/** Complete lines from `offset` to the end of the file, and the offset after the last of them. */
async function readNewLines(path: string, offset: number): Promise<{ lines: JournalLineV1[]; offset: number }> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return { lines: [], offset };
  }
  try {
    const size = (await handle.stat()).size;
    const lines: JournalLineV1[] = [];
    // A file shorter than where we were was replaced or cut; carry on from its end.
    if (size <= offset) return { lines, offset: Math.min(offset, size) };
    let pending = Buffer.alloc(0);
    for (let pos = offset; pos < size; ) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK, size - pos));
      await readFully(handle, chunk, pos);
      pos += chunk.length;
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      for (let nl = pending.indexOf(0x0a); nl !== -1; nl = pending.indexOf(0x0a, start)) {
        const line = parseJournalLine(pending.subarray(start, nl));
        if (line) lines.push(line);
        offset += nl + 1 - start;
        start = nl + 1;
      }
      pending = pending.subarray(start);
    }
    return { lines, offset };
  } finally {
    await handle.close();
  }
}
