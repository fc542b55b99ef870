import type { CommandEntry } from './command.ts';
import { COMMANDS } from './commands.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { ExitError, UsageError } from './exit-error.ts';
import type { CliIo } from './io.ts';

const VERSION = '0.1.0';

/**
 * The CLI's one exit point: dispatches to a command and turns whatever happens into an exit code.
 * Commands return a code or throw `ExitError`; anything else is a bug (exit 70) and is reported
 * without echoing input, environment or secrets.
 */
export async function runCli(argv: readonly string[], io: CliIo, commands: Readonly<Record<string, CommandEntry>> = COMMANDS): Promise<ExitCode> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      io.stdout(usage(commands));
      return name === undefined ? EXIT.usage : EXIT.ok;
    }
    if (name === '--version' || name === '-v') {
      io.stdout(`aigate ${VERSION}\n`);
      return EXIT.ok;
    }
    const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!entry) throw new UsageError(`aigate: unknown command "${name}"`, 'run "aigate --help" for the list of commands');
    const command = await entry.load();
    return await command(rest, io);
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: CliIo): ExitCode {
  if (error instanceof UsageError) {
    io.stderr(`${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
    return error.exitCode;
  }
  if (error instanceof ExitError) {
    if (error.message) io.stderr(`${error.message}\n`);
    return error.exitCode;
  }
  // Only the error's own message and stack: never the arguments or environment, which may hold tokens.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`aigate: internal error (this is a bug, please report it with the text below)\n${detail}\n`);
  return EXIT.internal;
}

function usage(commands: Readonly<Record<string, CommandEntry>>): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `aigate ${VERSION}: policy-as-code for AI coding assistants on self-hosted GitLab

usage: aigate <command> [options]

commands:
${lines.join('\n')}

exit codes: 0 ok, 1 invalid or denied, 2 usage error, 70 internal error
`;
}
