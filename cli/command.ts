import type { CliIo } from './io.ts';
import type { ExitCode } from './exit-codes.ts';

/** A CLI command: parses its own arguments, writes through `io`, returns its exit code. */
export type Command = (args: readonly string[], io: CliIo) => Promise<ExitCode>;

/** How the dispatcher finds a command without loading the others (start-up time matters in CI). */
export interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}
