import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';

const HELP = `usage: aigate dry-run <check|scan|diff> [options]

Shows, before a merge, exactly what the proxy will do: the same decide() and the same redaction
engine the proxy runs, applied to one request, to a repository's files, or to an .aiconfig change.

  check   allow or deny one request (repo, provider, file, size) and the rule that decided it
  scan    apply the effective policy to a checkout: excluded, too large and redacted files
  diff    compare the effective policy at two git refs and what changes for the head's files

"aigate dry-run <subcommand> --help" shows each one's options.
`;

const SUBCOMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  check: async () => (await import('./check-command.ts')).checkCommand,
  scan: async () => (await import('./scan-command.ts')).scanCommand,
  diff: async () => (await import('./diff-command.ts')).diffCommand,
};

/** `aigate dry-run`: dispatches to its subcommands, loading only the one asked for. */
export const dryRunCommand: Command = async function dryRun(args, io) {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!load) throw new UsageError(`aigate dry-run: unknown subcommand "${name}"`, 'use check, scan or diff');
  return (await load())(rest, io);
};
