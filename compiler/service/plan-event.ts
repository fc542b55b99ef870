import type { GitLabClient } from '../gitlab/gitlab-client.ts';
import type { CompileEngine } from './compile-engine.ts';
import { pushTouchesAiconfig, type PushRange } from './push-touches.ts';
import type { Job } from './work-queue.ts';

/** Everything that happened to one project since its job last ran; the job consumes it whole. */
interface ProjectWork {
  path: string;
  ranges: PushRange[];
  create: boolean;
  remove: boolean;
  moved: boolean;
}

export interface Planner {
  /** What an event means: jobs to queue, or why it is ignored (answered 200 and dropped). */
  plan(event: string, body: Record<string, any>): { jobs: Job[]; what: string } | { ignored: string };
}

export interface PlannerDeps {
  readonly engine: CompileEngine;
  readonly client: GitLabClient;
  /** The policy repository (full path or id). */
  readonly policyProject: string;
  readonly report: ((projectId: number, iid: number) => Promise<unknown>) | undefined;
}

const MR_ACTIONS = new Set(['open', 'reopen', 'update']);

/**
 * Turns webhook payloads into queue jobs. Events for one project accumulate in one record and
 * run as one job (`project:<id>`), in order: removal, then a move, then a re-read if a creation or
 * a push touched `.aiconfig`. A push to the policy repository queues the exclusive full sync.
 */
export function createPlanner(deps: PlannerDeps): Planner {
  const work = new Map<number, ProjectWork>();
  const isPolicyRepo = (id: number, path: string) => deps.policyProject === String(id) || deps.policyProject.toLowerCase() === path.toLowerCase();
  const fullSync: Job = { key: 'org', exclusive: true, run: () => deps.engine.fullSync('policy repository push') };

  const projectJob = (id: number): Job => ({
    key: `project:${id}`,
    async run() {
      const w = work.get(id);
      work.delete(id);
      if (!w) return;
      if (w.remove) return deps.engine.removeProject(id);
      if (w.moved) await deps.engine.moveProject(id, w.path);
      // A push payload may carry a path from before a rename the system hook already reported.
      const path = w.moved || w.create ? w.path : (deps.engine.knownPath(id) ?? w.path);
      if (!deps.engine.inScope(path)) return;
      let touched = w.create;
      for (const range of w.ranges) if (!touched) touched = await pushTouchesAiconfig(deps.client, id, range);
      if (touched) await deps.engine.syncProject({ id, path }, 'HEAD');
    },
  });
  const record = (id: number, path: string, change: (w: ProjectWork) => void): Job => {
    const w = work.get(id) ?? { path, ranges: [], create: false, remove: false, moved: false };
    change(w);
    work.set(id, w);
    return projectJob(id);
  };

  return {
    plan(event, body) {
      if (body['object_kind'] === 'push') {
        const project = body['project'] as { path_with_namespace?: string; default_branch?: string } | undefined;
        const id = Number(body['project_id']);
        const path = String(project?.path_with_namespace ?? '');
        if (!Number.isSafeInteger(id) || !path) return { ignored: 'push without a project' };
        if (body['ref'] !== `refs/heads/${project?.default_branch ?? ''}`) return { ignored: 'push to a branch other than the default branch' };
        if (isPolicyRepo(id, path)) return { jobs: [fullSync], what: 'policy repository push: full recompile' };
        if (!deps.engine.inScope(path)) return { ignored: `${path} is out of scope` };
        const range: PushRange = { before: String(body['before']), after: String(body['after']), totalCommits: Number(body['total_commits_count'] ?? 0), commits: Array.isArray(body['commits']) ? body['commits'] : [] };
        return { jobs: [record(id, path, (w) => w.ranges.push(range))], what: `push to ${path}` };
      }
      if (body['object_kind'] === 'merge_request') {
        const attrs = body['object_attributes'] as { iid?: number; action?: string; oldrev?: string; target_project_id?: number } | undefined;
        const id = Number(attrs?.target_project_id ?? body['project']?.id);
        if (!deps.report) return { ignored: 'merge request reports are disabled' };
        if (!attrs?.iid || !MR_ACTIONS.has(attrs.action ?? '')) return { ignored: `merge request action ${attrs?.action ?? 'unknown'}` };
        if (attrs.action === 'update' && !attrs.oldrev) return { ignored: 'merge request update without new commits' };
        const iid = attrs.iid;
        const report = deps.report;
        return { jobs: [{ key: `mr:${id}:${iid}`, run: async () => void (await report(id, iid)) }], what: `merge request !${iid} of project ${id}` };
      }
      if (event === 'System Hook' && typeof body['event_name'] === 'string') {
        const name = body['event_name'];
        const id = Number(body['project_id']);
        const path = String(body['path_with_namespace'] ?? '');
        if (name === 'project_create') return { jobs: [record(id, path, (w) => void (w.create = true))], what: `project ${path} created` };
        if (name === 'project_destroy') return { jobs: [record(id, path, (w) => void (w.remove = true))], what: `project ${path} destroyed` };
        if (name === 'project_rename' || name === 'project_transfer') {
          return { jobs: [record(id, path, (w) => Object.assign(w, { path, moved: true }))], what: `project ${body['old_path_with_namespace']} moved to ${path}` };
        }
        if (name === 'group_rename') return { jobs: [fullSync], what: `group ${body['old_full_path']} renamed to ${body['full_path']}` };
        return { ignored: `system event ${name}` };
      }
      return { ignored: `event ${event || 'without X-Gitlab-Event'}` };
    },
  };
}
