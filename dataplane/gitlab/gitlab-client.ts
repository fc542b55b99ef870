import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import type { GitLabFailure, GitLabProject, GitLabResult, GitLabUser } from './gitlab-types.ts';

export interface GitLabClientOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly caFile?: string | undefined;
}

export interface GitLabClient {
  currentUser(token: string): Promise<GitLabResult<GitLabUser>>;
  project(token: string, idOrPath: string | number): Promise<GitLabResult<GitLabProject>>;
  /**
   * Starts `GET .../files/:path/raw` and stops after the headers: the caller checks the size GitLab
   * reports before any of the body is read, then reads (bounded) or discards it.
   */
  openFile(token: string, projectId: number, path: string, ref: string): Promise<GitLabResult<GitLabFile>>;
  /** True when GitLab answers HTTP at all (a 401 counts: it is up). */
  probe(): Promise<boolean>;
  close(): Promise<void>;
}

/** A raw file whose headers have arrived and whose body has not been read. */
export interface GitLabFile {
  /** X-Gitlab-Size: the blob's size in bytes, as GitLab reports it. */
  readonly size: number;
  readonly blobId: string;
  /** The body, refused (too_large) as soon as more than maxBytes arrive, whatever the size header said. */
  read(maxBytes: number): Promise<GitLabResult<Buffer>>;
  /** Drops the unread body (the connection goes with it). A no-op once read finished. */
  discard(): void;
}

const MAX_REDIRECTS = 3;

/**
 * GitLab REST calls on the request path, with the user's own token, so GitLab decides what the user
 * may see. undici directly (not gitbeaker): gitbeaker retries 429/502 up to ten times ignoring
 * Retry-After, which would stall a request for minutes; here a failure answers at once.
 */
export function createGitLabClient(options: GitLabClientOptions): GitLabClient {
  const base = new URL(options.url);
  const api = `${base.origin}${base.pathname.replace(/\/+$/, '')}/api/v4`;
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    connect: { timeout: options.timeoutMs, ...(options.caFile ? { ca: readFileSync(options.caFile, 'utf8') } : {}) },
  });

  const call = async (method: 'GET' | 'HEAD', path: string, token: string | undefined): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Dispatcher.ResponseData['body'] } | GitLabFailure> => {
    let url = `${api}${path}`;
    for (let hop = 0; ; hop++) {
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          method,
          dispatcher: agent,
          headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          signal: AbortSignal.timeout(options.timeoutMs),
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        });
      } catch (error) {
        return { ok: false, kind: 'unavailable', status: null, message: `GitLab is unreachable (${error instanceof Error ? error.name : 'error'})` };
      }
      const location = response.headers['location'];
      if ((response.statusCode === 301 || response.statusCode === 302) && typeof location === 'string' && hop < MAX_REDIRECTS) {
        await response.body.dump();
        const next = new URL(location, url);
        // A renamed project redirects to its new id; never follow (and send the token) off the GitLab origin.
        if (next.origin !== base.origin) return { ok: false, kind: 'not_found', status: 301, message: 'GitLab redirected to another host' };
        url = next.href;
        continue;
      }
      return { status: response.statusCode, headers: response.headers, body: response.body };
    }
  };

  const failure = async (r: { status: number; headers: Record<string, unknown>; body: Dispatcher.ResponseData['body'] }): Promise<GitLabFailure> => {
    await r.body.dump().catch(() => undefined);
    const retryAfter = Number(r.headers['retry-after']);
    if (r.status === 401) return { ok: false, kind: 'unauthorized', status: 401, message: 'GitLab rejected the token' };
    if (r.status === 403) return { ok: false, kind: 'forbidden', status: 403, message: 'GitLab denied access' };
    if (r.status === 404) return { ok: false, kind: 'not_found', status: 404, message: 'not found' };
    if (r.status === 400) return { ok: false, kind: 'bad_request', status: 400, message: 'GitLab rejected the request' };
    return { ok: false, kind: 'unavailable', status: r.status, message: `GitLab answered ${r.status}`, ...(Number.isFinite(retryAfter) ? { retryAfter } : {}) };
  };

  const json = async <T>(r: Awaited<ReturnType<typeof call>>): Promise<GitLabResult<T>> => {
    if ('ok' in r) return r;
    if (r.status !== 200) return failure(r);
    try {
      return { ok: true, value: (await r.body.json()) as T };
    } catch {
      return { ok: false, kind: 'unavailable', status: r.status, message: 'GitLab sent an unreadable answer' };
    }
  };

  return {
    async currentUser(token) {
      const r = await json<Record<string, unknown>>(await call('GET', '/user', token));
      if (!r.ok) return r;
      const u = r.value;
      if (typeof u['id'] !== 'number' || typeof u['username'] !== 'string') return { ok: false, kind: 'unavailable', status: 200, message: 'GitLab sent an unexpected user' };
      return { ok: true, value: { id: u['id'], username: u['username'], email: typeof u['email'] === 'string' ? u['email'] : null, state: String(u['state'] ?? 'active'), bot: u['bot'] === true, admin: u['is_admin'] === true } };
    },
    async project(token, idOrPath) {
      const r = await json<Record<string, any>>(await call('GET', `/projects/${encodeURIComponent(String(idOrPath))}`, token));
      if (!r.ok) return r;
      const p = r.value;
      const level = Math.max(p['permissions']?.project_access?.access_level ?? 0, p['permissions']?.group_access?.access_level ?? 0);
      return {
        ok: true,
        value: { id: p['id'], path: p['path_with_namespace'], visibility: p['visibility'] ?? 'private', archived: p['archived'] === true, defaultBranch: p['default_branch'] ?? null, accessLevel: level },
      };
    },
    // One GET instead of HEAD + GET: the raw route sends the X-Gitlab-* headers too (gitlab-api.md
    // section 3), and undici closes the connection after every HEAD (it sends Connection: close,
    // fearing servers that answer HEAD with a body), so a HEAD cost a new TCP connection per request.
    async openFile(token, projectId, path, ref) {
      const r = await call('GET', `/projects/${projectId}/repository/files/${encodeURIComponent(path)}/raw?ref=${encodeURIComponent(ref)}`, token);
      if ('ok' in r) return r;
      if (r.status !== 200) return failure(r);
      const size = Number(r.headers['x-gitlab-size']);
      if (!Number.isSafeInteger(size) || size < 0) {
        drop(r.body);
        return { ok: false, kind: 'unavailable', status: 200, message: 'GitLab did not report the file size' };
      }
      let done = false;
      return {
        ok: true,
        value: {
          size,
          blobId: String(r.headers['x-gitlab-blob-id'] ?? ''),
          async read(maxBytes) {
            // Read at most maxBytes: a size header that understates the body (a file replaced between
            // GitLab's lookup and its stream, a proxy rewriting headers) must not make us buffer it whole.
            const chunks: Buffer[] = [];
            let total = 0;
            try {
              for await (const chunk of r.body) {
                total += (chunk as Buffer).length;
                if (total > maxBytes) {
                  drop(r.body);
                  return { ok: false, kind: 'too_large', status: 200, message: `file is larger than ${maxBytes} bytes` };
                }
                chunks.push(chunk as Buffer);
              }
            } catch (error) {
              return { ok: false, kind: 'unavailable', status: 200, message: `GitLab broke off the file (${error instanceof Error ? error.name : 'error'})` };
            } finally {
              done = true;
            }
            return { ok: true, value: Buffer.concat(chunks) };
          },
          discard() {
            if (!done) drop(r.body);
            done = true;
          },
        },
      };
    },
    async probe() {
      const r = await call('GET', '/version', undefined);
      if ('ok' in r) return false;
      await r.body.dump().catch(() => undefined);
      return r.status < 500;
    },
    close: () => agent.close(),
  };
}

/** Abandons a response body; the AbortError that destroying it emits is expected, not a crash. */
function drop(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}
