import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import type { EffectivePolicy } from './effective-policy.ts';
import { TreeGuard } from './tree-guard.ts';

/**
 * The project path policies are matched against: `--repo`, else GitLab CI's `CI_PROJECT_PATH`,
 * else (compiling in-process only) the directory name, with a warning that group rules need the
 * full path.
 */
export function projectPath(command: string, repo: string | undefined, io: CliIo, root: string, allowDirName: boolean): { path: string; warning?: string } {
  const path = repo ?? io.env['CI_PROJECT_PATH'];
  if (path) return { path };
  if (!allowDirName) throw new UsageError(`aigate ${command}: --bundle needs --repo group/project (or CI_PROJECT_PATH) to find the project in the bundle`);
  const name = basename(root);
  return { path: name, warning: `no --repo or CI_PROJECT_PATH: using the directory name "${name}" as the project path (group rules and blocked_repos need the full group/project path)` };
}

/**
 * The `.aiconfig` at the repository root, or undefined when there is none. A symbolic link is
 * followed only to a file inside the tree.
 */
export async function readRootAiconfig(command: string, root: string): Promise<string | undefined> {
  const file = join(root, '.aiconfig');
  const info = await lstat(file).catch(() => undefined);
  if (!info) return undefined;
  let target = file;
  if (info.isSymbolicLink()) {
    const link = await new TreeGuard(root).resolveLink('.aiconfig');
    if (link.kind !== 'inside') throw new UsageError(`aigate ${command}: ${file} is a symbolic link leading outside the repository; it is not read`);
    target = link.real;
  }
  return readFile(target, 'utf8').catch(() => {
    throw new UsageError(`aigate ${command}: cannot read ${file}`);
  });
}

/** Git's blob id of a text, to tell whether a bundle was compiled from this very `.aiconfig`. */
export function gitBlobId(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** With a bundle, the local `.aiconfig` is not what is enforced: say so when they differ. */
export function bundleConfigWarning(policy: EffectivePolicy, local: string | undefined): string | undefined {
  const entry = policy.bundle.project(undefined, policy.projectPath)?.entry;
  if (!entry) return local === undefined ? undefined : `the bundle does not list ${policy.projectPath}; the local .aiconfig is not applied (use --org-policy to preview it)`;
  if (entry.config === null) return local === undefined ? undefined : 'the bundle was compiled without an .aiconfig for this project; the local one is not applied (use --org-policy to preview it)';
  if (local === undefined) return 'the bundle was compiled from an .aiconfig this checkout does not have';
  const blob = entry.config.blob;
  if (blob && blob === gitBlobId(local)) return undefined;
  return `the policy comes from the bundle${blob ? `, compiled from another .aiconfig (blob ${blob.slice(0, 12)})` : ''}; the local .aiconfig is not applied (use --org-policy to preview it)`;
  return undefined;
}
