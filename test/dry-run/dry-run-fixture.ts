import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandEntry } from '../../cli/command.ts';
import { bufferIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { BUILTIN_RULES } from '../../policy/builtin-rules/all-builtin-rules.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** The command table the lead will add to cli/commands.ts; tests dispatch through runCli with it. */
export const DRY_RUN_COMMANDS: Readonly<Record<string, CommandEntry>> = {
  'dry-run': { summary: 'preview what the proxy will do', load: async () => (await import('../../compiler/dry-run/dry-run-command.ts')).dryRunCommand },
};

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `aigate dry-run …` in-process, as a user would run it in `cwd`. */
export async function dryRun(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const io = bufferIo({ cwd, env });
  const code = await runCli(['dry-run', ...args], io, DRY_RUN_COMMANDS);
  return { code, out: io.out(), err: io.err() };
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.email=a@b', '-c', 'user.name=t', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function writeFiles(dir: string, files: Readonly<Record<string, string | Buffer>>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

/** A temporary git repository with `files` committed (removed when the test ends). */
export function gitRepo(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = tempDir();
  const repo = join(dir, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q');
  writeFiles(repo, files);
  commitAll(repo, 'initial');
  return repo;
}

export function commitAll(repo: string, message: string): void {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '--allow-empty', '-m', message);
}

function example(id: string, index = 0): { text: string; secret: string } {
  const rule = BUILTIN_RULES.find((r) => r.id === id);
  const found = rule?.examples.positive[index];
  if (!found) throw new Error(`no positive example ${index} for built-in rule ${id}`);
  return found;
}

/** Secrets the built-in rules redact (from their own examples), planted in fixture files. */
export const SECRETS = {
  gitlab: example('gitlab-pat').secret,
  github: example('github-pat').secret,
  aws: example('aws-access-key-id').secret,
  slack: example('slack-bot-token').secret,
  /** Matched only by the repository's custom rule below. */
  webhook: 'https://hooks.example.com/services/T0NOTREAL/B0NOTREAL/zq8Xw3Lm5Np7Rt9Vy2Ab',
};

export const ORG_POLICY = `providers:
  anthropic: { enabled: true }
  openai: { enabled: true }
  github: { enabled: true }
  gitlab-duo: { enabled: true }
blocked_repos: ["*/secrets-*"]
exclude:
  - ".env"
  - "*.key"
redaction_rules:
  - id: password-assignment
    pattern: "password\\\\s*=.*"
    replacement: "password=REDACTED"
max_file_size: 100kb
`;

/** An .aiconfig with a custom rule (webhook-url), exclusions and a small size limit. */
export const AICONFIG = `ai_access:
  enabled: true
  allowed_providers: [anthropic, github]
  exclude:
    - "*.sql"
    - "migrations/"
  redact_patterns:
    - id: webhook-url
      pattern: '(WEBHOOK_URL\\s*=\\s*)\\S+'
      replacement: "\${1}[REDACTED:webhook-url]"
  max_file_size: 4kb
`;

/** Every string a report must never contain: the secrets and any 10-character stretch of them. */
export function leaks(output: string): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(SECRETS)) {
    for (let i = 0; i + 10 <= secret.length; i++) {
      if (output.includes(secret.slice(i, i + 10))) {
        found.push(`${name}: "${secret.slice(i, i + 10)}"`);
        break;
      }
    }
  }
  return found;
}
