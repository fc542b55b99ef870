import { randomUUID } from 'node:crypto';
import type { FileContent, FixtureProject } from './fixture-types.ts';
import type { ProjectRecord, UserRecord } from './model.ts';
import { EPOCH_SECONDS } from './model.ts';
import { history, resolveRef } from './repository.ts';
import type { FakeGitLabState, ProjectKey } from './state.ts';
import { mrKey, type MergeRequestRecord } from './store-collab.ts';
import { projectRef, userByName, type Store } from './store.ts';
import { deliver, type Delivery, type Hook, type HookRegistration } from './webhook-delivery.ts';
import { mergeRequestPayload, pushPayload, systemProjectPayload, ZERO_SHA, type MergeRequestAction, type SystemProjectEvent } from './webhook-payloads.ts';

export type { Delivery, HookRegistration } from './webhook-delivery.ts';
export { PUSH_COMMIT_CAP, ZERO_SHA } from './webhook-payloads.ts';

export interface PushCommit {
  readonly files: Record<string, FileContent | null>;
  readonly message?: string;
}

export interface PushResult {
  readonly before: string;
  readonly after: string;
  readonly deliveries: readonly Delivery[];
}

/**
 * Things that happen in GitLab and send webhooks: each call changes the fake's state, then POSTs
 * the event to every matching project or system hook and resolves when all deliveries finished.
 */
export interface FakeWebhooks {
  addProjectHook(project: ProjectKey, hook: HookRegistration): Hook;
  addSystemHook(hook: HookRegistration): Hook;
  /** One commit per entry on `branch` (created from the default branch if missing), then one Push Hook. */
  push(project: ProjectKey, branch: string, commits: readonly PushCommit[], options?: { user?: string }): Promise<PushResult>;
  deleteBranch(project: ProjectKey, branch: string, options?: { user?: string }): Promise<PushResult>;
  createProject(fixture: FixtureProject, options?: { owner?: string }): Promise<readonly Delivery[]>;
  destroyProject(project: ProjectKey): Promise<readonly Delivery[]>;
  /** Changes the project's path in its namespace (`project_rename`). */
  renameProject(project: ProjectKey, newFullPath: string): Promise<readonly Delivery[]>;
  transferProject(project: ProjectKey, newNamespace: string): Promise<readonly Delivery[]>;
  openMergeRequest(project: ProjectKey, mr: { sourceBranch: string; targetBranch?: string; title?: string; author?: string }): Promise<{ iid: number; deliveries: readonly Delivery[] }>;
  /** `update` after new commits were pushed to the source branch (`oldrev` = the previous head). */
  updateMergeRequest(project: ProjectKey, iid: number, action: MergeRequestAction, options?: { oldrev?: string; user?: string }): Promise<readonly Delivery[]>;
  /** Sends a recorded delivery again with the same Idempotency-Key and event UUID (GitLab's "Resend request"). */
  redeliver(deliveryId: number): Promise<Delivery>;
  readonly deliveries: readonly Delivery[];
}

export function createWebhooks(store: Store, state: FakeGitLabState, baseUrl: () => string): FakeWebhooks {
  const hooks: Hook[] = [];
  const deliveries: Delivery[] = [];
  let nextHook = 1;
  let nextDelivery = 1;

  const need = (key: ProjectKey): ProjectRecord => {
    const p = projectRef(store, key);
    if (!p) throw new Error(`fake gitlab: no project ${String(key)}`);
    return p;
  };
  const actor = (username: string | undefined): UserRecord => {
    const user = username ? userByName(store, username) : [...store.users.values()].find((u) => u.admin) ?? [...store.users.values()][0];
    if (!user) throw new Error(`fake gitlab: no user ${username ?? '(any)'}`);
    return user;
  };
  const send = async (targets: readonly Hook[], event: string, payload: unknown): Promise<Delivery[]> => {
    const eventUuid = randomUUID();
    const done = await Promise.all(targets.map((hook) => deliver(hook, baseUrl(), event, payload, { id: nextDelivery++, eventUuid })));
    deliveries.push(...done);
    return done;
  };
  const projectHooks = (projectId: number, kind: 'push' | 'mr') => hooks.filter((h) => h.kind === 'project' && h.projectId === projectId && (kind === 'push' ? h.pushEvents !== false : h.mergeRequestsEvents !== false));
  const systemHooks = (withPush: boolean) => hooks.filter((h) => h.kind === 'system' && (!withPush || h.pushEvents === true));
  const system = (event: SystemProjectEvent, project: ProjectRecord, oldPath?: string) => send(systemHooks(false), 'System Hook', systemProjectPayload(event, project, actor(undefined), oldPath));

  const pushEvent = async (project: ProjectRecord, branch: string, before: string, after: string, user: UserRecord): Promise<PushResult> => {
    // The commits new to the branch: for a created branch, those not on the default branch.
    const baseSha = before !== ZERO_SHA ? before : branch === project.defaultBranch ? undefined : project.repo.branches.get(project.defaultBranch);
    const known = new Set(baseSha ? history(project.repo, baseSha).map((c) => c.sha) : []);
    const pushed = after === ZERO_SHA ? [] : history(project.repo, after).filter((c) => !known.has(c.sha)).reverse();
    const payload = pushPayload(store, baseUrl(), project, branch, before, after, pushed, user);
    const sent = [...(await send(projectHooks(project.id, 'push'), 'Push Hook', payload)), ...(await send(systemHooks(true), 'System Hook', payload))];
    return { before, after, deliveries: sent };
  };

  return {
    addProjectHook(key, registration) {
      const hook: Hook = { ...registration, id: nextHook++, uuid: randomUUID(), kind: 'project', projectId: need(key).id };
      hooks.push(hook);
      return hook;
    },
    addSystemHook(registration) {
      const hook: Hook = { pushEvents: false, ...registration, id: nextHook++, uuid: randomUUID(), kind: 'system' };
      hooks.push(hook);
      return hook;
    },
    async push(key, branch, commits, options = {}) {
      const project = need(key);
      const before = project.repo.branches.get(branch) ?? ZERO_SHA;
      let after = before;
      for (const c of commits) after = state.commitFiles(project.id, branch, c.files, c.message);
      return pushEvent(project, branch, before, after, actor(options.user));
    },
    async deleteBranch(key, branch, options = {}) {
      const project = need(key);
      const before = project.repo.branches.get(branch);
      if (!before) throw new Error(`fake gitlab: no branch ${branch}`);
      project.repo.branches.delete(branch);
      return pushEvent(project, branch, before, ZERO_SHA, actor(options.user));
    },
    async createProject(fixture) {
      state.addProject(fixture);
      return system('project_create', need(fixture.id));
    },
    async destroyProject(key) {
      const project = need(key);
      state.removeProject(project.id);
      return system('project_destroy', project);
    },
    async renameProject(key, newFullPath) {
      const project = need(key);
      const old = project.fullPath;
      state.renameProject(project.id, newFullPath);
      return system('project_rename', project, old);
    },
    async transferProject(key, namespace) {
      const project = need(key);
      const old = project.fullPath;
      state.transferProject(project.id, namespace);
      return system('project_transfer', project, old);
    },
    async openMergeRequest(key, spec) {
      const project = need(key);
      const iid = 1 + Math.max(0, ...[...store.collab.mergeRequests.values()].filter((m) => m.projectId === project.id).map((m) => m.iid));
      const at = EPOCH_SECONDS + 86_400 + store.collab.nextId;
      const author = actor(spec.author);
      const mr: MergeRequestRecord = { id: store.collab.nextId++, iid, projectId: project.id, sourceProjectId: project.id, sourceBranch: spec.sourceBranch, targetBranch: spec.targetBranch ?? project.defaultBranch, title: spec.title ?? `Merge ${spec.sourceBranch}`, state: 'opened', author: author.username, createdAt: at, updatedAt: at };
      store.collab.mergeRequests.set(mrKey(project.id, iid), mr);
      const head = resolveRef(project.repo, mr.sourceBranch, project.defaultBranch);
      const deliveries = await send(projectHooks(project.id, 'mr'), 'Merge Request Hook', mergeRequestPayload(store, baseUrl(), project, mr, 'open', author, head, undefined));
      return { iid, deliveries };
    },
    async updateMergeRequest(key, iid, action, options = {}) {
      const project = need(key);
      const mr = store.collab.mergeRequests.get(mrKey(project.id, iid));
      if (!mr) throw new Error(`fake gitlab: no merge request !${iid} in ${project.fullPath}`);
      if (action === 'close') mr.state = 'closed';
      if (action === 'reopen') mr.state = 'opened';
      if (action === 'merge') mr.state = 'merged';
      mr.updatedAt += 1;
      const head = resolveRef(project.repo, mr.sourceBranch, project.defaultBranch);
      return send(projectHooks(project.id, 'mr'), 'Merge Request Hook', mergeRequestPayload(store, baseUrl(), project, mr, action, actor(options.user), head, options.oldrev));
    },
    async redeliver(id) {
      const original = deliveries.find((d) => d.id === id);
      const hook = original && hooks.find((h) => h.id === original.hookId);
      if (!original || !hook) throw new Error(`fake gitlab: no delivery ${id}`);
      const again = await deliver(hook, baseUrl(), original.event, original.payload, { id: nextDelivery++, eventUuid: original.eventUuid, idempotencyKey: original.idempotencyKey });
      deliveries.push(again);
      return again;
    },
    deliveries,
  };
}
