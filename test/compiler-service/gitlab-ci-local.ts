import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { tempDir } from '../helpers/temp-dir.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const GCL = join(ROOT, 'node_modules', 'gitlab-ci-local', 'dist', 'index.js');

/** How a job runs aigate: this checkout's CLI (bin/aigate.ts's twin, see aigate-cli.ts) with this Node. */
export const AIGATE = `${process.execPath} ${join(ROOT, 'test', 'compiler-service', 'aigate-cli.ts')}`;

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, encoding: 'utf8' }).trim();

export interface CiRepo {
  readonly dir: string;
  commit(files: Readonly<Record<string, string>>, message?: string): string;
  /** Runs gitlab-ci-local (shell executor) with these CI/CD variables (kept off the command line). */
  run(args: readonly string[], variables: Readonly<Record<string, string>>): Promise<{ code: number; output: string }>;
}

/**
 * A temporary git repository whose `origin` points at the fake GitLab (gitlab-ci-local derives
 * the project from it), with the CI templates copied in so `include: local` finds them.
 */
export function ciRepo(remote: string, files: Readonly<Record<string, string>>): CiRepo {
  const dir = tempDir();
  const home = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  const write = (entries: Readonly<Record<string, string>>) => {
    for (const [name, text] of Object.entries(entries)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
  };
  write({ '.gitignore': '.gitlab-ci-local/\n.gitlab-ci-local-variables.yml\n', ...files });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'initial');
  git(dir, 'remote', 'add', 'origin', remote);
  return {
    dir,
    commit(changes, message = 'change') {
      write(changes);
      git(dir, 'add', '-A');
      git(dir, 'commit', '-qm', message);
      return git(dir, 'rev-parse', 'HEAD');
    },
    run(args, variables) {
      writeFileSync(join(dir, '.gitlab-ci-local-variables.yml'), stringify(variables));
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [GCL, '--force-shell-executor', '--home', home, '--color=false', ...args], {
          cwd: dir,
          env: { ...process.env, GCL_IGNORE_PREDEFINED_VARS: Object.keys(variables).join(','), NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        child.stdout.on('data', (d: Buffer) => void (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => void (output += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code: code ?? 1, output });
        });
      });
    },
  };
}

/** `include:` of a template with inputs, as a repository would write it. */
export function includeTemplate(file: string, inputs: Readonly<Record<string, string | boolean>>): string {
  return stringify({ include: [{ local: `/ci-templates/${file}`, inputs }] });
}
