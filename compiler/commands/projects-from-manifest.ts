import { readFile } from 'node:fs/promises';
import { loadRepoPolicy } from '../load/load-policies.ts';
import { readProjectsManifest } from '../load/projects-manifest.ts';
import type { RepoInput } from '../merge/merge-project.ts';

/** `aigate compile --projects MANIFEST`: each listed project with its `.aiconfig` read from disk. */
export async function projectsFromManifest(manifestFile: string, orgValue: unknown): Promise<{ id: number; path: string; input: RepoInput }[]> {
  const manifest = await readProjectsManifest(manifestFile);
  const projects: { id: number; path: string; input: RepoInput }[] = [];
  for (const project of manifest) {
    let input: RepoInput = { kind: 'none' };
    if (project.aiconfig) {
      const meta = { ...(project.commit ? { commit: project.commit } : {}), ...(project.blob ? { blob: project.blob } : {}) };
      const text = await readFile(project.aiconfig, 'utf8').catch(() => undefined);
      input =
        text === undefined
          ? { kind: 'invalid', file: '.aiconfig', diagnostics: [{ code: 'file_unreadable', severity: 'error', file: '.aiconfig', pointer: '', line: 1, column: 1, message: `cannot read ${project.aiconfig}` }], ...meta }
          : loadRepoPolicy('.aiconfig', text, orgValue, meta).input;
    }
    projects.push({ id: project.id, path: project.path, input });
  }
  return projects;
}
