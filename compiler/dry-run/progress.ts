import type { CliIo } from '../../cli/io.ts';

/** Below this many files a scan is over before progress would help. */
const MIN_FILES = 2000;
const INTERVAL_MS = 250;

/** CliIo may say whether stderr is a terminal; the process io is recognised by its environment. */
export function stderrIsTty(io: CliIo & { readonly stderrIsTty?: boolean }): boolean {
  if (io.stderrIsTty !== undefined) return io.stderrIsTty;
  return io.env === process.env && process.stderr.isTTY === true;
}

export interface Progress {
  readonly tick: (files: number, bytes: number) => void;
  readonly done: () => void;
}

/**
 * "scanned 12000/50000 files, 120 MB" on one self-overwriting stderr line, at most four times a
 * second, only for large trees and only on a terminal (never in CI logs or captured output).
 */
export function createProgress(io: CliIo, total: number, label: string): Progress {
  if (total < MIN_FILES || !stderrIsTty(io)) return { tick: () => {}, done: () => {} };
  let files = 0;
  let bytes = 0;
  let last = 0;
  let shown = false;
  return {
    tick: (f, b) => {
      files += f;
      bytes += b;
      const now = Date.now();
      if (now - last < INTERVAL_MS && files < total) return;
      last = now;
      shown = true;
      io.stderr(`\r${label} ${files}/${total} files, ${(bytes / 1e6).toFixed(0)} MB\x1b[K`);
    },
    done: () => {
      if (shown) io.stderr('\r\x1b[K');
    },
  };
}
