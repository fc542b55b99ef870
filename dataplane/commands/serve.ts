import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { parseCommandArgs } from '../../cli/parse-args.ts';
import type { LocalCompiler } from '../bundle/local-source.ts';
import { ConfigError, loadDataplaneConfig } from '../config/load-config.ts';
import { startDataplane } from '../server/start-dataplane.ts';

const HELP = `usage: aigate serve --config aigate.yml
       aigate serve --org-policy ai-policy.yml [--aiconfigs DIR] --gitlab URL [--listen HOST:PORT]

Runs the proxy. With --config, bundles come from the file or URL it names and must be signed by one
of its trusted keys. With --org-policy (single machine), the policy and the .aiconfig files under
DIR (DIR/<group>/<project>/.aiconfig) are compiled in-process, unsigned, and recompiled when they
change; /health says so.

  --config FILE          proxy configuration (schemas/dataplane-config.schema.json)
  --org-policy FILE      compile this org policy locally instead of loading a signed bundle
  --aiconfigs DIR        with --org-policy: the repositories' .aiconfig files
  --gitlab URL           GitLab base URL (overrides the config file)
  --listen HOST:PORT     listen address (default 127.0.0.1:8443)
  --state-dir DIR, --audit-dir DIR
`;

/** `aigate serve`; the CLI passes the compiler's local compile function (dataplane/ never imports compiler/). */
export function createServeCommand(localCompiler: LocalCompiler): Command {
  return async function serve(args, io) {
    const { values } = parseCommandArgs('serve', args, {
      config: { type: 'string' },
      'org-policy': { type: 'string' },
      aiconfigs: { type: 'string' },
      gitlab: { type: 'string' },
      listen: { type: 'string' },
      'state-dir': { type: 'string' },
      'audit-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.stdout(HELP);
      return EXIT.ok;
    }
    if (!values.config && !values['org-policy']) throw new UsageError('aigate serve: pass --config aigate.yml, or --org-policy FILE for a single-machine start', 'run "aigate serve --help"');
    const listen = values.listen ? parseListen(values.listen) : undefined;
    let config;
    try {
      config = loadDataplaneConfig(
        values.config,
        {
          ...(values.gitlab ? { gitlabUrl: values.gitlab } : {}),
          ...(listen ? { listen } : {}),
          ...(values['org-policy'] ? { orgPolicy: values['org-policy'] } : {}),
          ...(values.aiconfigs ? { aiconfigs: values.aiconfigs } : {}),
          ...(values['state-dir'] ? { stateDir: values['state-dir'] } : {}),
          ...(values['audit-dir'] ? { auditDir: values['audit-dir'] } : {}),
        },
        io.env,
        io.cwd,
      );
    } catch (error) {
      if (error instanceof ConfigError) throw new UsageError(`aigate serve: ${error.message}`);
      throw error;
    }
    const dataplane = await startDataplane({ config, localCompiler });
    const status = dataplane.store.status();
    io.stdout(`aigate listening on ${dataplane.url} (bundle ${status.serial ?? 'none'}${status.trust === 'local' ? ', local unsigned policy' : ''}${status.lastError ? `, last error: ${status.lastError.message}` : ''})\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await dataplane.close();
    return EXIT.ok;
  };
}

function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[?([^\]]*)\]?:)?(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`aigate serve: --listen must be HOST:PORT or PORT (got "${value}")`);
  return { host: match[1] || '127.0.0.1', port };
}
