import { startFakeGitLab } from './fake-gitlab.ts';
import { loadFixturesFile } from './fixtures-file.ts';

const USAGE = 'usage: node test/fake-gitlab/main.ts --fixtures FILE.yml [--port N] [--host H]';

/** CLI: starts the fake, prints `fake gitlab listening on <url>`, stops on SIGINT/SIGTERM. */
export async function runFakeGitLabCli(argv: readonly string[]): Promise<void> {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--(fixtures|port|host)(?:=(.*))?$/.exec(arg);
    const value = m?.[2] ?? argv[++i];
    if (!m || value === undefined) throw new Error(`${USAGE}\nunexpected argument: ${arg}`);
    opts[m[1] ?? ''] = value;
  }
  if (!opts.fixtures) throw new Error(USAGE);
  if (opts.port !== undefined && !/^\d+$/.test(opts.port)) throw new Error(`${USAGE}\n--port must be a number`);
  const fake = await startFakeGitLab({
    fixtures: loadFixturesFile(opts.fixtures),
    ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
  });
  process.stdout.write(`fake gitlab listening on ${fake.url}\n`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  runFakeGitLabCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  });
}
