import { EXIT, type ExitCode } from './exit-codes.ts';

/**
 * Thrown by commands to end the process with a given code. Only `cli/main.ts` turns it into an exit
 * status, so every command has the same single exit point.
 */
export class ExitError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message = '') {
    super(message);
    this.name = 'ExitError';
    this.exitCode = exitCode;
  }
}

/** A command-line or configuration mistake: printed with a usage hint, exit code 2. */
export class UsageError extends ExitError {
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(EXIT.usage, message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}
