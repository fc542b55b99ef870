import type { Command } from '../../cli/command.ts';
import { EXIT, type ExitCode } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { tailJournal } from '../audit/tail-journal.ts';
import { journalDirArgument } from './audit-dir.ts';
import { formatRecordText } from './audit-format.ts';

const HELP = `usage: aigate audit tail DIR [-f|--follow] [-n|--lines N] [--format text|json]

Prints the newest N records (default 10) of the local audit journal in DIR, one per line:
time, decision, status, user, repo, provider, model, route, reason, redactions, request id.
With --follow, keeps printing records as they are appended, across daily files, until interrupted.
--format json prints each journal line ({seq, prev, record}) as one JSON line.
exit codes: 0 ok, 2 usage error
`;

/** `aigate audit tail`; a follow ends on SIGINT or SIGTERM, with exit code 0. */
export const auditTailCommand: Command = async function auditTail(args, io) {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await runAuditTail(args, io, controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
};

/** The tail itself, with the signal that ends a follow passed in (tests abort it directly). */
export async function runAuditTail(args: readonly string[], io: CliIo, signal: AbortSignal): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('audit tail', args, {
    follow: { type: 'boolean', short: 'f' },
    lines: { type: 'string', short: 'n' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('audit tail', 'format', values.format, ['text', 'json'], 'text');
  const lines = values.lines === undefined ? 10 : Number(values.lines);
  if (!Number.isSafeInteger(lines) || lines < 0) throw new UsageError('aigate audit tail: -n must be a non-negative integer');
  const dir = await journalDirArgument('audit tail', positionals, io.cwd);
  for await (const line of tailJournal(dir, { follow: values.follow ?? false, lines, signal })) {
    io.stdout(`${format === 'json' ? JSON.stringify(line) : formatRecordText(line)}\n`);
  }
  return EXIT.ok;
}
