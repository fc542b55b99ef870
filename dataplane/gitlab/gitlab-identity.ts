import { createHash } from 'node:crypto';
import { createTtlCache, type TtlCache } from '../cache/ttl-cache.ts';
import type { GitLabClient } from './gitlab-client.ts';
import type { GitLabProject, GitLabResult, GitLabUser } from './gitlab-types.ts';

export interface IdentityOptions {
  readonly tokenTtlMs: number;
  readonly tokenNegativeTtlMs: number;
  readonly projectTtlMs: number;
  /** Shared (Redis) caches for several replicas; default: this process's memory. */
  readonly caches?: { readonly users: TtlCache<GitLabResult<GitLabUser>>; readonly projects: TtlCache<GitLabResult<GitLabProject>> };
}

export interface Timed<T> {
  readonly result: GitLabResult<T>;
  readonly cached: boolean;
  /** Time spent waiting for GitLab (0 on a cache hit). */
  readonly ms: number;
}

/**
 * Who a token belongs to and what that user can see, answered by GitLab with the user's own token
 * and cached by a hash of the token (the token itself is never a key, a log field or a metric
 * label). While GitLab is down, cached answers serve until they expire; then requests fail.
 */
export interface GitLabIdentity {
  user(token: string): Promise<Timed<GitLabUser>>;
  project(token: string, idOrPath: string | number): Promise<Timed<GitLabProject>>;
  flush(): void;
  readonly stats: { hits: number; misses: number };
}

export function createGitLabIdentity(client: GitLabClient, options: IdentityOptions): GitLabIdentity {
  const users = options.caches?.users ?? createTtlCache<GitLabResult<GitLabUser>>();
  const projects = options.caches?.projects ?? createTtlCache<GitLabResult<GitLabProject>>();
  const tokenKey = (token: string) => createHash('sha256').update(token).digest('base64url');
  // Only definite answers are cached; "GitLab unavailable" is retried on the next request.
  const ttl = (positive: number) => (r: GitLabResult<unknown>) => (r.ok ? positive : r.kind === 'unavailable' ? 0 : options.tokenNegativeTtlMs);

  const timed = async <T>(run: () => Promise<{ value: GitLabResult<T>; hit: boolean }>): Promise<Timed<T>> => {
    const start = performance.now();
    const { value, hit } = await run();
    return { result: value, cached: hit, ms: hit ? 0 : performance.now() - start };
  };

  return {
    user: (token) => timed(() => users.getOrLoad(tokenKey(token), () => client.currentUser(token), ttl(options.tokenTtlMs))),
    project: (token, idOrPath) =>
      timed(() => projects.getOrLoad(`${tokenKey(token)}\0${String(idOrPath).toLowerCase()}`, () => client.project(token, idOrPath), ttl(options.projectTtlMs))),
    flush: () => {
      users.clear();
      projects.clear();
    },
    get stats() {
      return { hits: users.stats.hits + projects.stats.hits, misses: users.stats.misses + projects.stats.misses };
    },
  };
}
