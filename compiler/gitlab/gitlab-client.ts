import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import { GitLabError } from './gitlab-error.ts';
import { retryAfterMs } from './retry-delay.ts';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface GitLabResponse<T> {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: T;
}

export interface RequestOptions {
  readonly query?: Query;
  readonly json?: unknown;
  readonly body?: string | Buffer;
  readonly contentType?: string;
  /** Statuses answered instead of thrown (e.g. 404 for "no such file"). */
  readonly accept?: readonly number[];
}

export interface GitLabStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

export interface GitLabClient {
  readonly url: string;
  request<T>(method: string, path: string, options?: RequestOptions): Promise<GitLabResponse<T>>;
  /** Every page of a list, following `Link: rel="next"` (keyset or offset alike). */
  pages<T>(path: string, query?: Query): AsyncGenerator<T[]>;
  /** A GraphQL query; any entry in `errors` fails the call (partial data would compile wrongly). */
  graphql<T>(query: string, variables: Readonly<Record<string, unknown>>): Promise<T>;
  readonly stats: GitLabStats;
  close(): Promise<void>;
}

export interface GitLabClientOptions {
  readonly url: string;
  readonly token: string;
  readonly timeoutMs?: number;
  /** Retries after 429 (honouring Retry-After), 502/503/504 and connection errors. Default 5. */
  readonly maxRetries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RETRY_STATUSES = new Set([429, 502, 503, 504]);

export const encodeId = (idOrPath: number | string): string => encodeURIComponent(String(idOrPath));

/**
 * GitLab REST v4 and GraphQL over one undici keep-alive pool. Not gitbeaker: its requester retries
 * 429 ten times on a fixed backoff that ignores Retry-After (reference gitlab-api.md §9), and
 * GraphQL needs a plain HTTP client anyway. The token goes in a header only; it never appears in
 * an error message or a log line.
 */
export function createGitLabClient(options: GitLabClientOptions): GitLabClient {
  const base = options.url.replace(/\/+$/, '');
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 16 });
  const wait = options.sleep ?? ((ms: number) => sleep(ms));
  const maxRetries = options.maxRetries ?? 5;
  const stats: GitLabStats = { requests: 0, retries: 0, rateLimited: 0 };

  const send = async (method: string, url: string, headers: Record<string, string>, body: string | Buffer | undefined, accept: readonly number[], idempotent: boolean): Promise<GitLabResponse<unknown>> => {
    const where = `${method} ${new URL(url).pathname}`;
    for (let attempt = 0; ; attempt++) {
      stats.requests++;
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, { method: method as Dispatcher.HttpMethod, headers, ...(body !== undefined ? { body } : {}), dispatcher: agent, signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
      } catch (error) {
        if (idempotent && attempt < maxRetries) {
          stats.retries++;
          await wait(250 * 2 ** attempt);
          continue;
        }
        throw new GitLabError('gitlab_unreachable', `${where}: ${(error as Error).message}`);
      }
      const status = res.statusCode;
      if (RETRY_STATUSES.has(status) && attempt < maxRetries && (status === 429 || idempotent)) {
        await res.body.dump();
        const delay = status === 429 ? retryAfterMs(res.headers, 1000 * 2 ** attempt) : 250 * 2 ** attempt;
        if (status === 429) stats.rateLimited++;
        if (delay === undefined) throw new GitLabError('gitlab_rate_limited', `${where}: rate limited, Retry-After beyond the cap`, 429);
        stats.retries++;
        await wait(delay);
        continue;
      }
      const text = await res.body.text();
      const type = String(res.headers['content-type'] ?? '');
      const parsed: unknown = type.includes('json') && text !== '' ? safeJson(text) : text;
      if ((status >= 200 && status < 300) || status === 304 || accept.includes(status)) return { status, headers: res.headers, body: parsed };
      const detail = typeof parsed === 'object' && parsed !== null ? JSON.stringify((parsed as { message?: unknown; error?: unknown }).message ?? (parsed as { error?: unknown }).error ?? '') : '';
      const code = status === 401 || status === 403 ? 'gitlab_unauthorized' : status === 429 ? 'gitlab_rate_limited' : 'gitlab_http_error';
      throw new GitLabError(code, `${where}: HTTP ${status}${detail ? ` ${detail.slice(0, 200)}` : ''}`, status);
    }
  };

  const client: GitLabClient = {
    url: base,
    stats,
    async request<T>(method: string, path: string, opts: RequestOptions = {}) {
      const url = new URL(`${base}/api/v4/${path}`);
      for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
      const headers: Record<string, string> = { 'private-token': options.token, accept: 'application/json' };
      let body = opts.body;
      if (opts.json !== undefined) {
        body = JSON.stringify(opts.json);
        headers['content-type'] = 'application/json';
      } else if (opts.contentType) headers['content-type'] = opts.contentType;
      const idempotent = method === 'GET' || method === 'HEAD' || method === 'PUT';
      return (await send(method, url.toString(), headers, body, opts.accept ?? [], idempotent)) as GitLabResponse<T>;
    },
    async *pages<T>(path: string, query: Query = {}) {
      let next: string | undefined = (() => {
        const url = new URL(`${base}/api/v4/${path}`);
        for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
        return url.toString();
      })();
      while (next) {
        const res = await send('GET', next, { 'private-token': options.token, accept: 'application/json' }, undefined, [], true);
        yield res.body as T[];
        next = nextLink(res.headers['link']);
        // A next link must stay on the same GitLab: never send the token anywhere else.
        if (next && new URL(next).origin !== new URL(base).origin) next = `${base}${new URL(next).pathname}${new URL(next).search}`;
      }
    },
    async graphql<T>(query: string, variables: Readonly<Record<string, unknown>>) {
      // Queries are reads: safe to retry.
      const res = await send('POST', `${base}/api/graphql`, { authorization: `Bearer ${options.token}`, 'content-type': 'application/json', accept: 'application/json' }, JSON.stringify({ query, variables }), [], true);
      const body = res.body as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length) throw new GitLabError('gitlab_graphql_error', `POST /api/graphql: ${body.errors.map((e) => e.message).join('; ').slice(0, 300)}`, res.status);
      if (!body.data) throw new GitLabError('gitlab_graphql_error', 'POST /api/graphql: no data in the answer', res.status);
      return body.data;
    },
    close: () => agent.close(),
  };
  return client;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The `rel="next"` target of a Link header, if any. */
export function nextLink(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(', ') : (header ?? '');
  for (const part of value.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}
