import { spawn } from 'node:child_process';

export interface GitResult {
  readonly code: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/**
 * Runs git without a shell (arguments are never interpreted) and collects its output. A missing
 * git binary is reported as a failed run (code -1), so callers can fall back.
 */
export function runGit(args: readonly string[], cwd: string, input?: string): Promise<GitResult> {
  return new Promise((resolvePromise) => {
    // No pager, no prompts, no lock files: a dry-run must not change the repository it reads.
    const child = spawn('git', ['-c', 'core.quotepath=off', ...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (error) => resolvePromise({ code: -1, stdout: Buffer.alloc(0), stderr: error.message }));
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** The work tree's top directory when `dir` is inside a git checkout, else undefined. */
export async function gitTopLevel(dir: string): Promise<string | undefined> {
  const result = await runGit(['rev-parse', '--show-toplevel'], dir);
  const top = result.stdout.toString('utf8').trim();
  return result.code === 0 && top ? top : undefined;
}

/** NUL-separated output as strings, dropping the empty tail. */
export function splitNul(buffer: Buffer): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = buffer.indexOf(0); i >= 0; i = buffer.indexOf(0, start)) {
    if (i > start) out.push(buffer.toString('utf8', start, i));
    start = i + 1;
  }
  if (start < buffer.length) out.push(buffer.toString('utf8', start));
  return out;
}
