import { jsonReply, routeNotFound, textReply } from './reply.ts';
import { matchCollabRoute } from './route-collab.ts';
import { matchDuoRoute } from './route-duo.ts';
import { fileRoute, rawFileRoute } from './route-files.ts';
import { graphqlRoute } from './route-graphql.ts';
import { matchOAuthRoute } from './route-oauth.ts';
import { listProjectsRoute, projectWriteRoute, showProjectRoute } from './route-projects.ts';
import { branchRoute, commitRoute, compareRoute, treeRoute } from './route-repository.ts';
import type { Route } from './route-types.ts';
import { currentUserRoute, tokenSelfRoute, versionRoute } from './route-users.ts';

const API = '/api/v4/';

/** Answers without authentication, like GitLab's catch-all and removed-API routes. */
const fixed = (reply: ReturnType<typeof routeNotFound>): Route => ({ access: { readScopes: [], anonymous: true }, noAuth: true, handle: () => reply });

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * Routes on the raw path: each segment is decoded once, so `group%2Fproj` is one `:id` while an
 * unencoded `/` splits it and matches nothing (404 `{"error":"404 Not Found"}`), as in GitLab.
 */
export function matchRoute(method: string, rawPath: string): Route {
  if (rawPath === '/api/graphql') return method === 'POST' || method === 'GET' ? graphqlRoute : fixed(routeNotFound());
  if (rawPath.startsWith('/api/v3/') || rawPath === '/api/v3') return fixed(jsonReply(410, { error: 'API V3 is no longer supported. Use API V4 instead.' }));
  if (rawPath.startsWith('/oauth/')) return matchOAuthRoute(method, rawPath) ?? fixed(textReply(404, 'Not Found'));
  if (!rawPath.startsWith(API)) return fixed(textReply(404, 'Not Found'));
  const raw = rawPath.slice(API.length).split('/');
  const seg = raw.map(decode);
  if (seg.some((s) => s === undefined)) return fixed(routeNotFound());
  const path = seg as string[];
  const collab = matchCollabRoute(method, path, raw);
  if (collab) return collab;
  const read = method === 'GET' || method === 'HEAD';
  const key = path.join('/');
  const duo = matchDuoRoute(method, key);
  if (duo) return duo;
  if (read && key === 'version') return versionRoute;
  if (read && key === 'user') return currentUserRoute;
  if (read && key === 'personal_access_tokens/self') return tokenSelfRoute;
  if (read && key === 'projects') return listProjectsRoute;
  const [head, id, ...rest] = path;
  if (head !== 'projects' || !id) return fixed(routeNotFound());
  // The rest of the path as sent, for the Location of a moved project.
  const rawRest = raw.length > 2 ? `/${raw.slice(2).join('/')}` : '';
  if (!read) return projectWriteRoute(id, rawRest);
  const [r0, r1, r2, r3, ...more] = rest;
  if (rest.length === 0) return showProjectRoute(id, rawRest);
  if (r0 !== 'repository' || more.length > 0) return fixed(routeNotFound());
  if (r1 === 'files' && r2 && r3 === undefined) return fileRoute(id, rawRest, r2);
  if (r1 === 'files' && r2 && r3 === 'raw') return rawFileRoute(id, rawRest, r2);
  if (r3 !== undefined) return fixed(routeNotFound());
  if (r1 === 'tree' && r2 === undefined) return treeRoute(id, rawRest);
  if (r1 === 'compare' && r2 === undefined) return compareRoute(id, rawRest);
  if (r1 === 'commits' && r2) return commitRoute(id, rawRest, r2);
  if (r1 === 'branches' && r2) return branchRoute(id, rawRest, r2);
  return fixed(routeNotFound());
}
