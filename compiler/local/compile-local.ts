import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { compileBundle } from '../compile/compile-bundle.ts';
import { loadOrgPolicy, loadRepoPolicy } from '../load/load-policies.ts';
import type { RepoInput } from '../merge/merge-project.ts';

let serial = 0;

/**
 * Compiles an org policy plus a folder of repositories for single-machine mode: each
 * `<dir>/<group>/<project>/.aiconfig` is the policy of the project at that path. Serials count up
 * in memory; the result is unsigned and only ever handed to the proxy in the same process.
 */
export async function compileLocalBundle(orgPolicy: string, aiconfigs: string | undefined): Promise<{ ok: true; payload: BundlePayloadV1 } | { ok: false; message: string }> {
  const text = await readFile(orgPolicy, 'utf8').catch(() => undefined);
  if (text === undefined) return { ok: false, message: `cannot read the org policy ${orgPolicy}` };
  const org = loadOrgPolicy(orgPolicy, text);
  if (!org.org) {
    const first = org.diagnostics.find((d) => d.severity === 'error');
    return { ok: false, message: `the org policy is invalid: ${first ? `${first.file}:${first.line}:${first.column} ${first.code} ${first.message}` : 'unknown error'}` };
  }
  const projects: { id: number; path: string; input: RepoInput }[] = [];
  if (aiconfigs) {
    const files = (await findAiconfigs(aiconfigs)).sort();
    for (const [i, file] of files.entries()) {
      const path = relative(aiconfigs, file).split(sep).slice(0, -1).join('/');
      if (!path) continue;
      const content = await readFile(file, 'utf8');
      projects.push({ id: i + 1, path, input: loadRepoPolicy('.aiconfig', content, org.value).input });
    }
  }
  const now = Date.now();
  serial = Math.max(serial + 1, now);
  return { ok: true, payload: compileBundle({ org: org.org, projects, serial, issuedAt: new Date(now), expiresAt: new Date(now + 24 * 3_600_000) }) };
}

async function findAiconfigs(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '.git' && entry.name !== 'node_modules') out.push(...(await findAiconfigs(path)));
    else if (entry.isFile() && entry.name === '.aiconfig') out.push(path);
  }
  return out;
}
