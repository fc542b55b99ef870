#!/usr/bin/env node
// Test-only entry: `aigate dry-run …` as a real process, before cli/commands.ts registers the
// command. Same runCli (the one exit point) and process io as bin/aigate.ts.
import { processIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';

const commands = {
  'dry-run': {
    summary: 'preview what the proxy will do: check a request, scan a checkout, diff an .aiconfig change',
    load: async () => (await import('../../compiler/dry-run/dry-run-command.ts')).dryRunCommand,
  },
};

process.exitCode = await runCli(process.argv.slice(2), processIo(), commands);
