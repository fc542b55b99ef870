import { createServer } from 'node:net';
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
    let dataplane;
    try {
      await checkListen(config.listen);
      dataplane = await startDataplane({ config, localCompiler });
    } catch (error) {
      throw startError(error, config.listen);
    }
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

/**
 * Tries the listen address before anything else starts: a port in use or not permitted is a
 * configuration mistake to report plainly, and the proxy's bundle watcher and journal are not yet
 * open to keep the process alive after the error.
 */
async function checkListen(listen: { host: string; port: number }): Promise<void> {
  if (listen.port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(listen.port, listen.host, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

const START_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is already in use',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'the host is not an address of this machine',
  ENOTFOUND: 'the host name does not resolve',
};

/** An operating-system refusal at start-up is the operator's to fix (exit 2), not a bug in aigate. */
function startError(error: unknown, listen: { host: string; port: number }): unknown {
  const { code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const reason = code ? START_ERRORS[code] : undefined;
  if (reason && (syscall === 'listen' || syscall === 'bind' || syscall === 'getaddrinfo')) return new UsageError(`aigate serve: cannot listen on ${listen.host}:${listen.port}: ${reason}`, 'set listen.host and listen.port in the config, or pass --listen HOST:PORT');
  return error;
}

function parseListen(value: string): { host: string; port: number } {
  const match = /^(?:\[?([^\]]*)\]?:)?(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (!match || port > 65535) throw new UsageError(`aigate serve: --listen must be HOST:PORT or PORT (got "${value}")`);
  return { host: match[1] || '127.0.0.1', port };
}
