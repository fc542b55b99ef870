import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { readLastLines, setAsideTornFragment } from './file-end.ts';

/** The day file the writer appends to. */
export interface Segment {
  readonly name: string;
  readonly path: string;
  readonly handle: FileHandle;
  readonly dev: number;
  readonly ino: number;
  /** Bytes known to be complete lines; the next batch is written here. */
  size: number;
  /** A write failed after `size`: whatever it left behind must be cut off before the next one. */
  dirty: boolean;
}

/**
 * Opens (creating if needed) a day file for appending at its end. Positional writes at `size`
 * instead of O_APPEND let a failed, partly written batch be cut off and written again. A torn
 * fragment at the end (see file-end.ts) is moved aside first; the callback reports its name.
 */
export async function openSegment(dir: string, name: string, options: { fsync: boolean; now: Date; onTorn: (fragment: string) => void }): Promise<Segment> {
  const path = join(dir, name);
  const handle = await open(path, constants.O_RDWR | constants.O_CREAT, 0o640);
  try {
    const info = await handle.stat();
    let size = info.size;
    if (size > 0) {
      const { end } = await readLastLines(handle, size, 0);
      if (end < size) {
        options.onTorn(await setAsideTornFragment(handle, path, end, size, options.now));
        size = end;
      }
    }
    // fdatasync makes the file's data durable, not its name: a file created today would be lost
    // with everything in it if the directory entry did not reach the disk.
    if (options.fsync) await syncDirectory(dir);
    return { name, path, handle, dev: info.dev, ino: info.ino, size, dirty: false };
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Whether the path still names the open file. A removed or replaced file (or a removed or moved
 * directory) would otherwise keep accepting writes into an inode nobody can see.
 */
export async function segmentStillInPlace(segment: Segment): Promise<boolean> {
  try {
    const info = await stat(segment.path);
    return info.ino === segment.ino && info.dev === segment.dev;
  } catch {
    return false;
  }
}

/** Closes a segment, first cutting off what a failed write left (the batch is written again elsewhere). */
export async function closeSegment(segment: Segment): Promise<void> {
  try {
    if (segment.dirty) await segment.handle.truncate(segment.size);
  } finally {
    await segment.handle.close();
  }
}

/** Writes one batch at the segment's end and makes it durable when asked. */
export async function appendBatch(segment: Segment, bytes: Buffer, fsync: boolean): Promise<void> {
  if (segment.dirty) await segment.handle.truncate(segment.size);
  segment.dirty = true;
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await segment.handle.write(bytes, done, bytes.length - done, segment.size + done);
    done += bytesWritten;
  }
  if (fsync) await segment.handle.datasync();
  segment.dirty = false;
  segment.size += bytes.length;
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
