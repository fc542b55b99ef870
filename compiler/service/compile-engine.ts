import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { fetchOrgPolicy, type OrgPolicySource } from '../gitlab/fetch-org-policy.ts';
import type { GitLabClient } from '../gitlab/gitlab-client.ts';
import { GitLabError } from '../gitlab/gitlab-error.ts';
import { orgDigest } from '../gitlab/org-digest.ts';
import type { ProjectCache } from '../gitlab/project-cache.ts';
import { syncProject } from '../gitlab/sync-project.ts';
import { revalidateAll, syncAllProjects, type SyncContext, type SyncStats } from '../gitlab/sync-projects.ts';
import { loadOrgPolicy, type LoadedOrg } from '../load/load-policies.ts';
import type { OrgModel } from '../load/policy-model.ts';
import type { BundlePublisher, PublishedBundle } from '../publish/bundle-publisher.ts';
import { createIncrementalBundler } from '../publish/incremental-bundle.ts';
import { nextSerial } from '../state/serial-store.ts';
import type { ServiceLog } from './service-log.ts';

export interface EngineOptions {
  readonly client: GitLabClient;
  readonly cache: ProjectCache;
  readonly publisher: BundlePublisher;
  readonly policy: OrgPolicySource;
  readonly group: string | undefined;
  readonly signers: readonly { readonly key: KeyObject; readonly keyid: string }[];
  readonly expiresInMs: number;
  readonly stateDir: string;
  readonly log: ServiceLog;
  /** How long after a build the project cache is written (default 5 s). */
  readonly saveDelayMs?: number;
  /** Called after each publish (package upload); failures are logged, the bundle stays published. */
  readonly afterPublish?: (bundle: PublishedBundle) => Promise<void>;
}

export interface EngineStatus {
  readonly orgCommit: string | null;
  readonly projects: number;
  readonly lastSync: (SyncStats & { readonly at: string; readonly ms: number }) | null;
  readonly lastError: { readonly code: string; readonly message: string; readonly at: string } | null;
}

export interface CompileEngine {
  /** Re-reads the org policy, re-lists every project and re-checks every blob, then publishes. */
  fullSync(reason: string): Promise<void>;
  /** Re-reads one project's `.aiconfig` (at `ref`), then publishes if its entry changed. */
  syncProject(project: { id: number; path: string }, ref?: string): Promise<void>;
  /** A rename or transfer: the new path takes effect in a new bundle at once (blocked_repos, groups). */
  moveProject(id: number, path: string): Promise<void>;
  removeProject(id: number): Promise<void>;
  /** Compiles, signs and publishes what is known now; concurrent calls share one run. */
  rebuild(reason: string): Promise<void>;
  /** The current org policy (undefined until it has been read and found valid). */
  org(): { readonly loaded: LoadedOrg & { readonly org: OrgModel }; readonly text: string } | undefined;
  inScope(path: string): boolean;
  /** The path the last bundle knows a project by. */
  knownPath(id: number): string | undefined;
  status(): EngineStatus;
  /** Writes the project cache now (shutdown). */
  flush(): Promise<void>;
}

/**
 * The compiler service's state machine: the org policy, the project cache and the publisher. Any
 * failure (GitLab down, invalid org policy) leaves the last published bundle in place and is
 * reported on /health; nothing half-compiled is ever signed.
 */
export function createCompileEngine(options: EngineOptions): CompileEngine {
  let org: { loaded: LoadedOrg & { org: OrgModel }; text: string; commit: string; digest: string } | undefined;
  let lastSync: EngineStatus['lastSync'] = null;
  let lastError: EngineStatus['lastError'] = null;
  let building: Promise<void> | undefined;
  let again = false;
  const { log } = options;
  const bundler = createIncrementalBundler();
  // The project cache is only a cache: written off the publish path, at most every few seconds.
  let saveTimer: NodeJS.Timeout | undefined;
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = undefined;
    saving = saving.then(() => options.cache.save()).catch((error: unknown) => log.warn('project cache not saved', { message: (error as Error).message }));
    return saving;
  };
  const scheduleSave = () => {
    if (saveTimer) return;
    saveTimer = setTimeout(() => void save(), options.saveDelayMs ?? 5000);
    saveTimer.unref();
  };

  const fail = (error: unknown): never => {
    const code = error instanceof GitLabError ? error.code : 'publish_failed';
    lastError = { code, message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
    throw error;
  };
  const context = (): SyncContext => {
    if (!org) throw new GitLabError('org_policy_unreadable', 'the org policy has not been read yet');
    return { client: options.client, org: org.loaded, orgDigest: org.digest, cache: options.cache };
  };

  const loadOrg = async (): Promise<void> => {
    const fetched = await fetchOrgPolicy(options.client, options.policy);
    if (org && org.text === fetched.text) {
      org.commit = fetched.commit;
      return;
    }
    const loaded = loadOrgPolicy(options.policy.file, fetched.text);
    if (!loaded.org) {
      const first = loaded.diagnostics.find((d) => d.severity === 'error');
      throw new GitLabError('org_policy_invalid', `${options.policy.file} at ${fetched.commit.slice(0, 12)} is invalid${first ? `: ${first.line}:${first.column} ${first.code} ${first.message}` : ''}; the last bundle stays published`);
    }
    org = { loaded: { ...loaded, org: loaded.org }, text: fetched.text, commit: fetched.commit, digest: orgDigest(fetched.text) };
    const n = revalidateAll(context());
    log.info('org policy loaded', { commit: fetched.commit, revalidated: n });
  };

  const buildOnce = async (reason: string): Promise<void> => {
    if (!org) return;
    const started = performance.now();
    const now = new Date();
    const serial = await nextSerial(join(options.stateDir, 'serial.json'), now.getTime());
    const { text } = bundler.build({
      org: org.loaded.org,
      orgKey: org.digest,
      projects: [...options.cache.projects.values()],
      serial,
      now,
      expiresInMs: options.expiresInMs,
      issuer: { policyRepo: options.policy.project, commit: org.commit },
      signers: options.signers,
    });
    const published = await options.publisher.publish(text, serial);
    log.info('bundle published', { serial, reason, projects: options.cache.projects.size, bytes: text.length, ms: Math.round(performance.now() - started) });
    scheduleSave();
    lastError = null;
    if (options.afterPublish) await options.afterPublish(published).catch((error: unknown) => log.warn('bundle upload failed', { code: error instanceof GitLabError ? error.code : 'package_upload_failed', message: (error as Error).message }));
  };

  const engine: CompileEngine = {
    async fullSync(reason) {
      const started = performance.now();
      try {
        await loadOrg();
        const stats = await syncAllProjects(context(), options.group ? { group: options.group } : {});
        lastSync = { ...stats, at: new Date().toISOString(), ms: Math.round(performance.now() - started) };
        log.info('full sync', { reason, ...stats, ms: lastSync.ms, requests: options.client.stats.requests });
      } catch (error) {
        fail(error);
      }
      await engine.rebuild(reason);
    },
    async syncProject(project, ref) {
      if (!org) return engine.fullSync(`project ${project.id} changed before the first sync`);
      try {
        if (!(await syncProject(context(), project, ref))) return;
      } catch (error) {
        fail(error);
      }
      await engine.rebuild(`project ${project.id}`);
    },
    async moveProject(id, path) {
      const cached = options.cache.projects.get(id);
      if (!engine.inScope(path)) return engine.removeProject(id);
      if (!cached) return engine.syncProject({ id, path });
      cached.path = path;
      await engine.rebuild(`project ${id} moved`);
    },
    async removeProject(id) {
      if (!options.cache.projects.delete(id)) return;
      await engine.rebuild(`project ${id} removed`);
    },
    rebuild(reason) {
      if (building) {
        again = true;
        return building;
      }
      building = (async () => {
        try {
          do {
            again = false;
            await buildOnce(reason);
          } while (again);
        } catch (error) {
          fail(error);
        }
      })().finally(() => {
        building = undefined;
      });
      return building;
    },
    org: () => org,
    inScope(path) {
      return !options.group || path.toLowerCase().startsWith(`${options.group.toLowerCase()}/`);
    },
    knownPath: (id) => options.cache.projects.get(id)?.path,
    flush: () => save(),
    status: () => ({ orgCommit: org?.commit ?? null, projects: options.cache.projects.size, lastSync, lastError }),
  };
  return engine;
}
