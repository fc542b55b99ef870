import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { parseCommandArgs } from '../../cli/parse-args.ts';

const HELP = `usage: aigate compiler serve --config compiler.yml
       aigate compiler mr-note --file REPORT.md [--token-env NAME]

Runs the compiler service: receives GitLab webhooks at POST /hooks/gitlab, recompiles, signs and
publishes the bundle when a .aiconfig or the org policy changes, serves it at GET /bundles/current
(ETag, 304, long polling with ?wait=30), and reports merge requests that change .aiconfig.

  --config FILE   service configuration (schemas/compiler-config.schema.json, docs/compiler-service.md)

mr-note posts a dry-run report as the merge request's aigate note, edited in place (CI templates).

Stops on SIGINT/SIGTERM. exit codes: 0 stopped, 2 usage or configuration error, 70 internal error
`;

/** `aigate compiler serve` (the service) and `aigate compiler mr-note` (for CI pipelines). */
export const compilerCommand: Command = async function compiler(args, io) {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout(HELP);
    return sub === undefined ? EXIT.usage : EXIT.ok;
  }
  // Loaded on demand: a CI job posting a note should not pay for express and the service.
  if (sub === 'mr-note') return (await import('./mr-note-command.ts')).mrNoteCommand(rest, io);
  if (sub !== 'serve') throw new UsageError(`aigate compiler: unknown subcommand "${sub}"`, 'run "aigate compiler --help"');
  const { values, positionals } = parseCommandArgs('compiler serve', rest, { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`aigate compiler serve: unexpected argument "${positionals[0]}"`);
  if (!values.config) throw new UsageError('aigate compiler serve: --config compiler.yml is required', 'see docs/compiler-service.md');
  const [{ loadServiceConfig }, { startCompilerService }] = await Promise.all([import('./service-config.ts'), import('./start-compiler-service.ts')]);
  const config = loadServiceConfig(values.config, io.env, io.cwd);
  const service = await startCompilerService(config);
  io.stdout(`aigate compiler service listening on ${service.url} (webhooks: ${service.url}/hooks/gitlab, bundles: ${service.url}/bundles/current)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await service.close();
  return EXIT.ok;
};
