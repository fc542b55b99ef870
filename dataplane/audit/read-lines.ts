import { createReadStream } from 'node:fs';
import { MAX_LINE_BYTES } from './journal-files.ts';

export interface FileLine {
  /** 1-based line number in the file. */
  readonly number: number;
  /** The line's bytes without its newline: hashes are over bytes, not over re-encoded text. */
  readonly bytes: Buffer;
  /** False for a last line without a newline (a torn write or a truncated file). */
  readonly terminated: boolean;
  /** The line was longer than MAX_LINE_BYTES; `bytes` holds only its start and reading stops. */
  readonly tooLong: boolean;
}

/**
 * Streams a file's lines in 64 KiB chunks, so verifying a day of records does not hold the day in
 * memory. Unlike `readline`, it says whether the last line had its newline.
 */
export async function* readLines(path: string): AsyncGenerator<FileLine> {
  let carry: Buffer[] = [];
  let carried = 0;
  let number = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl);
      const bytes = carried > 0 ? Buffer.concat([...carry, piece]) : piece;
      carry = [];
      carried = 0;
      start = nl + 1;
      yield { number: ++number, bytes, terminated: true, tooLong: false };
    }
    if (start < chunk.length) {
      carry.push(chunk.subarray(start));
      carried += chunk.length - start;
      if (carried > MAX_LINE_BYTES) {
        yield { number: ++number, bytes: Buffer.concat(carry).subarray(0, 1024), terminated: false, tooLong: true };
        return;
      }
    }
  }
  if (carried > 0) yield { number: ++number, bytes: Buffer.concat(carry), terminated: false, tooLong: false };
}
