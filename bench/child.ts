import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface Child {
  /** The first capture group of `ready` (e.g. the URL a server printed). */
  readonly ready: string;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

const ROOT = join(import.meta.dirname, '..');

/**
 * A Node script of this repository (`bin/aigate.ts`, `test/fake-gitlab/main.ts`) as its own
 * process, so the server under measurement never shares an event loop with the load generator.
 */
export async function startChild(script: string, args: readonly string[], options: { cwd: string; ready: RegExp; env?: Record<string, string> }): Promise<Child> {
  const child = spawn(process.execPath, [join(ROOT, script), ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 30_000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const match = options.ready.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`${script} exited ${code}:\n${out}`)));
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return {
    ready,
    output: () => out,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
