/**
 * Where a command writes. Commands never touch `process.stdout` directly, so tests can run them
 * in-process and capture exactly what a user would see.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stdout is an interactive terminal (colour, progress). */
  readonly isTty: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTty: Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'],
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Collects output in memory; used by tests and by commands that build a report first. */
export function bufferIo(overrides: Partial<CliIo> = {}): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    isTty: false,
    env: {},
    cwd: process.cwd(),
    ...overrides,
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
