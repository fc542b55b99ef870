import { groupProjectsRoute } from './route-group-projects.ts';
import { mergeRequestRoute, noteRoute, notesRoute } from './route-merge-requests.ts';
import { genericPackageRoute } from './route-packages.ts';
import { createStatusRoute, listStatusesRoute } from './route-statuses.ts';
import type { Route } from './route-types.ts';

/**
 * Routes for what aigate writes back to GitLab (MR notes, commit statuses, generic packages) and
 * group project listing. `path` is the decoded segments after `/api/v4/`, `raw` the same still
 * encoded. Undefined: not one of these, the main router goes on.
 */
export function matchCollabRoute(method: string, path: readonly string[], raw: readonly string[]): Route | undefined {
  const read = method === 'GET' || method === 'HEAD';
  const [head, id, r0, r1, r2, r3, r4, ...more] = path;
  if (head === 'groups' && id && r0 === 'projects' && r1 === undefined && read) return groupProjectsRoute(id);
  if (head !== 'projects' || !id) return undefined;
  const rawRest = raw.length > 2 ? `/${raw.slice(2).join('/')}` : '';
  if (r0 === 'merge_requests' && r1) {
    if (r2 === undefined && read) return mergeRequestRoute(id, rawRest, r1);
    if (r2 === 'notes' && r3 === undefined && (read || method === 'POST')) return notesRoute(id, rawRest, r1, method);
    if (r2 === 'notes' && r3 && r4 === undefined && (read || method === 'PUT')) return noteRoute(id, rawRest, r1, r3, method);
    return undefined;
  }
  if (r0 === 'statuses' && r1 && r2 === undefined && method === 'POST') return createStatusRoute(id, rawRest, r1);
  if (r0 === 'repository' && r1 === 'commits' && r2 && r3 === 'statuses' && r4 === undefined && read) return listStatusesRoute(id, rawRest, r2);
  if (r0 === 'packages' && r1 === 'generic' && r2 && r3 && r4 && (read || method === 'PUT')) return genericPackageRoute(id, rawRest, r2, r3, [r4, ...more].join('/'), method);
  return undefined;
}
