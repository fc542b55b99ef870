import type { Command, CommandEntry } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';

/**
 * `aigate audit <subcommand>`: verify and tail work on a local journal, query on a journal or on
 * PostgreSQL. Subcommands load lazily like top-level commands.
 */
const SUBCOMMANDS: Readonly<Record<string, CommandEntry>> = {
  verify: {
    summary: 'check the hash chain, sequence and head file of a local audit journal',
    load: async () => (await import('./audit-verify.ts')).auditVerifyCommand,
  },
  tail: {
    summary: 'print the newest records of a local audit journal, optionally following it',
    load: async () => (await import('./audit-tail.ts')).auditTailCommand,
  },
  query: {
    summary: 'find records by user, repo, provider, decision and time, in PostgreSQL or a local journal',
    load: async () => (await import('./audit-query.ts')).auditQueryCommand,
  },
};

function help(): string {
  const width = Math.max(...Object.keys(SUBCOMMANDS).map((n) => n.length));
  const lines = Object.entries(SUBCOMMANDS).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return `usage: aigate audit <subcommand> [options]

subcommands:
${lines.join('\n')}

run "aigate audit <subcommand> --help" for its options
`;
}

export const auditCommand: Command = async function audit(args, io) {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return EXIT.ok;
  }
  if (name === undefined) throw new UsageError('aigate audit: give a subcommand (verify, tail, query)', 'run "aigate audit --help"');
  const entry = Object.hasOwn(SUBCOMMANDS, name) ? SUBCOMMANDS[name] : undefined;
  if (!entry) throw new UsageError(`aigate audit: unknown subcommand "${name}"`, 'run "aigate audit --help"');
  return (await entry.load())(rest, io);
};
