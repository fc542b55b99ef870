import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RepoInput } from '../merge/merge-project.ts';
import { atomicWrite } from '../publish/atomic-write.ts';

/** One project as last compiled: where its `.aiconfig` blob stood and what it compiled to. */
export interface CachedProject {
  readonly id: number;
  path: string;
  /** Blob id of the root `.aiconfig` on the default branch; null when there is none. */
  oid: string | null;
  /** The file's text, kept so an org policy change re-validates without fetching it again. */
  text?: string;
  /** Why the file could not be read (fail closed: the project compiles to a denying entry). */
  unreadable?: string;
  commit?: string;
  input: RepoInput;
  /** The org policy the input was validated against (`.aiconfig` checks depend on it). */
  orgDigest: string;
}

export interface ProjectCache {
  readonly projects: Map<number, CachedProject>;
  save(): Promise<void>;
}

interface CacheFile {
  readonly version: 1;
  readonly projects: readonly CachedProject[];
}

/**
 * The compiler's memory of every project, persisted as one JSON file (atomic rewrite) so a
 * restart or the next scheduled CI run reuses unchanged `.aiconfig` blobs instead of fetching
 * and validating them again. A missing or unreadable file starts empty: it is only a cache.
 */
export async function openProjectCache(file: string | undefined): Promise<ProjectCache> {
  const projects = new Map<number, CachedProject>();
  if (file) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    try {
      const parsed = text === undefined ? undefined : (JSON.parse(text) as CacheFile);
      if (parsed?.version === 1 && Array.isArray(parsed.projects)) for (const p of parsed.projects) projects.set(p.id, p);
    } catch {
      // A torn or foreign file: start from scratch rather than trust it.
    }
  }
  return {
    projects,
    async save() {
      if (!file) return;
      await mkdir(dirname(file), { recursive: true });
      const body: CacheFile = { version: 1, projects: [...projects.values()] };
      await atomicWrite(file, JSON.stringify(body));
    },
  };
}
