import { processIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { COMMANDS } from '../../cli/commands.ts';

/**
 * `bin/aigate.ts` for the CI template tests, with the `compiler` command added if the command table
 * does not list it yet (the table is edited by the lead; this keeps the templates testable either way).
 */
const commands = {
  compiler: {
    summary: 'run the compiler service (compiler serve) or post a CI report note (compiler mr-note)',
    load: async () => (await import('../../compiler/service/compiler-command.ts')).compilerCommand,
  },
  ...COMMANDS,
};

process.exitCode = await runCli(process.argv.slice(2), processIo(), commands);
