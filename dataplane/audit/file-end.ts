import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_LINE_BYTES } from './journal-files.ts';

const CHUNK = 64 * 1024;
const NEWLINE = 0x0a;

export interface LastLines {
  /** The last `count` complete lines (without newlines), oldest first. */
  readonly lines: Buffer[];
  /** Offset just after the last newline: where complete lines end and a torn fragment would start. */
  readonly end: number;
}

/**
 * Reads the last `count` complete lines of a file backwards from `size`, in chunks, so opening or
 * tailing a large day file costs what the last lines cost. Bytes after the last newline (a write in
 * progress, or one cut off by a crash) are not a line and are left out.
 */
export async function readLastLines(handle: FileHandle, size: number, count: number): Promise<LastLines> {
  const chunks: Buffer[] = [];
  const limit = MAX_LINE_BYTES * Math.max(count, 1) + CHUNK;
  let pos = size;
  let end = -1;
  let newlines = 0;
  while (pos > 0 && !(end !== -1 && newlines > count)) {
    const length = Math.min(CHUNK, pos);
    pos -= length;
    const chunk = Buffer.alloc(length);
    await readFully(handle, chunk, pos);
    chunks.unshift(chunk);
    for (let i = length - 1; i >= 0; i--) {
      if (chunk[i] !== NEWLINE) continue;
      if (end === -1) end = pos + i + 1;
      newlines++;
    }
    if (size - pos > limit) throw new Error(`a line near the end is longer than ${MAX_LINE_BYTES} bytes`);
  }
  if (end === -1) return { lines: [], end: 0 };
  const complete = Buffer.concat(chunks).subarray(0, end - pos);
  const lines: Buffer[] = [];
  for (let start = 0; start < complete.length; ) {
    const nl = complete.indexOf(NEWLINE, start);
    lines.push(complete.subarray(start, nl));
    start = nl + 1;
  }
  // Unless we reached the start of the file, the first piece began before what we read; the loop
  // read more than `count` newlines then, so taking the last `count` pieces leaves it out.
  return { lines: count === 0 ? [] : lines.slice(-count), end };
}

/**
 * Moves the bytes after the last newline into `<file>.torn-<time>` and truncates the file there.
 * Such a fragment is a write cut off by a crash: it was never acknowledged (the head file is only
 * rewritten after the write and its fsync), so it is not part of the chain. Appending after it would
 * glue the next line onto garbage; deleting it would destroy evidence. Keeping it beside the file
 * lets an auditor see it, and `aigate audit verify` lists it.
 */
export async function setAsideTornFragment(handle: FileHandle, path: string, end: number, size: number, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target: FileHandle | undefined;
  let name = '';
  for (let attempt = 0; !target; attempt++) {
    name = `${path}.torn-${stamp}${attempt === 0 ? '' : `-${attempt}`}`;
    try {
      target = await open(name, 'wx', 0o640);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 100) throw error;
    }
  }
  try {
    const buffer = Buffer.alloc(Math.min(CHUNK, size - end));
    for (let pos = end; pos < size; ) {
      const length = Math.min(buffer.length, size - pos);
      await readFully(handle, buffer.subarray(0, length), pos);
      await target.write(buffer, 0, length);
      pos += length;
    }
    await target.sync();
  } finally {
    await target.close();
  }
  await handle.truncate(end);
  await handle.sync();
  return basename(name);
}

export async function readFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let done = 0; done < buffer.length; ) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, position + done);
    if (bytesRead === 0) throw new Error('the file became shorter while it was read');
    done += bytesRead;
  }
}
