import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { verifyJournal } from '../audit/verify-journal.ts';
import { journalDirArgument } from './audit-dir.ts';

const HELP = `usage: aigate audit verify DIR [--format text|json]

Checks the local audit journal in DIR: every line's hash chain and sequence number, across the day
files, and that it reaches the end recorded in journal.head.json. Reports the first problem as
FILE:LINE KIND MESSAGE, with KIND one of edited, removed, reordered, truncated, malformed.
It cannot detect a chain rewritten consistently from some line on, head file included (docs/audit.md).
exit codes: 0 intact, 1 problem found, 2 usage error
`;

export const auditVerifyCommand: Command = async function auditVerify(args, io) {
  const { values, positionals } = parseCommandArgs('audit verify', args, {
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('audit verify', 'format', values.format, ['text', 'json'], 'text');
  const dir = await journalDirArgument('audit verify', positionals, io.cwd);
  const result = await verifyJournal(dir);
  if (format === 'json') {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return result.ok ? EXIT.ok : EXIT.failed;
  }
  const out: string[] = [];
  const p = result.problem;
  if (p) out.push(`${p.file}:${p.line} ${p.kind} ${p.message}`);
  for (const fragment of result.torn) out.push(`note: ${fragment} holds the unfinished line of a write cut off by a crash (moved aside on reopen, not part of the chain)`);
  out.push(p ? `✖ audit journal NOT intact: first problem above (${result.files} file(s))` : `✔ audit journal intact: ${result.records} record(s) in ${result.files} file(s), last seq ${result.lastSeq}`);
  io.stdout(`${out.join('\n')}\n`);
  return p ? EXIT.failed : EXIT.ok;
};
