import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from '../../cli/io.ts';

/** Output is produced as chunks and written in blocks of about this size, never as one big string. */
const BLOCK = 64 * 1024;

/** Writes a formatter's chunks to stdout or to a file. */
export async function writeChunks(io: CliIo, file: string | undefined, chunks: Iterable<string>): Promise<void> {
  const handle = file === undefined ? undefined : await open(resolve(io.cwd, file), 'w');
  const write = handle ? async (text: string) => void (await handle.write(text)) : async (text: string) => io.stdout(text);
  try {
    let pending: string[] = [];
    let size = 0;
    for (const chunk of chunks) {
      pending.push(chunk);
      size += chunk.length;
      if (size >= BLOCK) {
        await write(pending.join(''));
        pending = [];
        size = 0;
      }
    }
    if (pending.length > 0) await write(pending.join(''));
  } finally {
    await handle?.close();
  }
}
