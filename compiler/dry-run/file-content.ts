import { isUtf8 } from 'node:buffer';
import { closeSync, constants, openSync, readSync } from 'node:fs';

/** Git's heuristic: a NUL byte in the first 8 KB makes a file binary. */
export const BINARY_SNIFF_BYTES = 8192;

export type FileContent = { readonly kind: 'binary' } | { readonly kind: 'text'; readonly text: string; readonly utf8: boolean };

/**
 * Reads at most `size` bytes (the size lstat reported) of one file. O_NOFOLLOW refuses a symlink
 * swapped in after the checks and O_NONBLOCK keeps a FIFO swapped in from hanging the scan; reading
 * only the expected size bounds memory whatever the path has become. Invalid UTF-8 decodes with
 * U+FFFD replacement (what the proxy sees once the client has JSON-encoded it) and is flagged.
 */
export function readFileContent(path: string, size: number): FileContent {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const n = readSync(fd, bytes, filled, size - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return classifyContent(bytes.subarray(0, filled));
  } finally {
    closeSync(fd);
  }
}

/** Binary or text, for a file's bytes from disk or from a git blob. */
export function classifyContent(bytes: Buffer): FileContent {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { kind: 'binary' };
  return { kind: 'text', text: bytes.toString('utf8'), utf8: isUtf8(bytes) };
}
