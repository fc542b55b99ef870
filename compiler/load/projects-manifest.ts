import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../../cli/exit-error.ts';

/** One project of a manifest: GitLab id and path, and where its `.aiconfig` is (or none). */
export interface ManifestProject {
  readonly id: number;
  readonly path: string;
  /** Absolute path of the `.aiconfig` file, or undefined when the project has none. */
  readonly aiconfig: string | undefined;
  readonly commit?: string;
  readonly blob?: string;
}

/**
 * Reads a projects manifest (YAML or JSON):
 *
 *   projects:
 *     - { id: 101, path: group/api, aiconfig: repos/api/.aiconfig }
 *     - { id: 102, path: group/docs, aiconfig: none }
 *
 * `aiconfig` paths are relative to the manifest. Mistakes are usage errors naming the entry.
 */
export async function readProjectsManifest(file: string): Promise<ManifestProject[]> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`cannot read the projects manifest "${file}"`);
  });
  let doc: unknown;
  try {
    doc = parse(text, { uniqueKeys: true });
  } catch (error) {
    throw new UsageError(`projects manifest "${file}" is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : ''}`);
  }
  const list = (doc as { projects?: unknown } | null)?.projects;
  if (!Array.isArray(list)) throw new UsageError(`projects manifest "${file}" needs a "projects:" list`);
  const base = dirname(file);
  const seen = new Set<number>();
  return list.map((raw: unknown, i) => {
    const entry = raw as Record<string, unknown>;
    const where = `projects manifest "${file}", entry ${i + 1}`;
    const id = entry?.['id'];
    const path = entry?.['path'];
    const aiconfig = entry?.['aiconfig'];
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw new UsageError(`${where}: "id" must be a positive integer (the GitLab project id)`);
    if (seen.has(id)) throw new UsageError(`${where}: project id ${id} is listed twice`);
    seen.add(id);
    if (typeof path !== 'string' || !/^[^/\s][^\s]*$/.test(path)) throw new UsageError(`${where}: "path" must be the project's full path, e.g. group/project`);
    if (aiconfig !== undefined && aiconfig !== null && typeof aiconfig !== 'string') throw new UsageError(`${where}: "aiconfig" must be a file path or "none"`);
    const none = aiconfig === undefined || aiconfig === null || aiconfig === 'none';
    return {
      id,
      path,
      aiconfig: none ? undefined : resolve(base, aiconfig as string),
      ...(typeof entry['commit'] === 'string' ? { commit: entry['commit'] } : {}),
      ...(typeof entry['blob'] === 'string' ? { blob: entry['blob'] } : {}),
    };
  });
}
