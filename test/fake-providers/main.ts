import { startFakeProvider } from './fake-provider.ts';
import type { ReplyScript } from './types.ts';

const USAGE = 'usage: node test/fake-providers/main.ts [--port N] [--host H] [--key K]... [--text T] [--text-events N] [--event-delay-ms N]';

/** CLI: starts the fake (e.g. in its own process for a benchmark), prints its URL, stops on SIGINT/SIGTERM. */
export async function runFakeProviderCli(argv: readonly string[]): Promise<void> {
  const keys: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--(port|host|key|text|text-events|event-delay-ms)(?:=(.*))?$/.exec(arg);
    const value = m?.[2] ?? argv[++i];
    if (!m?.[1] || value === undefined) throw new Error(`${USAGE}\nunexpected argument: ${arg}`);
    if (m[1] === 'key') keys.push(value);
    else opts[m[1]] = value;
  }
  const number = (name: string): number | undefined => {
    const value = opts[name];
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new Error(`${USAGE}\n--${name} must be a whole number`);
    return Number(value);
  };
  const script: ReplyScript = {};
  if (opts.text !== undefined) script.text = opts.text;
  const textEvents = number('text-events');
  if (textEvents !== undefined) script.textEvents = textEvents;
  const eventDelayMs = number('event-delay-ms');
  if (eventDelayMs !== undefined) script.eventDelayMs = eventDelayMs;
  const port = number('port');
  const fake = await startFakeProvider({
    script,
    // Nobody reads the log of a standalone fake; keep a long benchmark from growing it.
    logLimit: 100,
    ...(keys.length > 0 ? { keys } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(opts.host !== undefined ? { host: opts.host } : {}),
  });
  process.stdout.write(`fake provider listening on ${fake.url} (keys: ${fake.keys.length})\n`);
  const stop = (): void => {
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  runFakeProviderCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  });
}
