import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../cli/exit-error.ts';

/** The one DIR argument of the audit subcommands, resolved and checked to be a directory. */
export async function journalDirArgument(command: string, positionals: readonly string[], cwd: string): Promise<string> {
  const [dir] = positionals;
  if (dir === undefined || positionals.length > 1) throw new UsageError(`aigate ${command}: give exactly one journal directory`, `aigate ${command} /var/lib/aigate/audit`);
  const path = resolve(cwd, dir);
  const info = await stat(path).catch(() => null);
  // A mistyped path must not pass as an empty, intact journal.
  if (!info?.isDirectory()) throw new UsageError(`aigate ${command}: "${dir}" is not a directory`);
  return path;
}
