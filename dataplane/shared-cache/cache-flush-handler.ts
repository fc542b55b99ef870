import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DataplaneCode } from '../codes.ts';
import type { Logger } from '../log.ts';
import { adminTokenMatches, bearerToken, MIN_ADMIN_TOKEN_LENGTH } from './admin-token.ts';

/** Anything with a prefix flush: a SharedCache, or a wrapped in-memory cache of this replica. */
export interface Flushable {
  flush(prefix?: string): Promise<number> | number;
}

export interface CacheFlushHandlerOptions {
  /** The caches to clear, by name (the names appear in the answer). */
  readonly caches: Readonly<Record<string, Flushable>>;
  /** The admin token (from `admin.token_env`); required, at least 24 characters. */
  readonly adminToken: string;
  readonly log?: Logger;
}

const MAX_BODY = 4096;

/**
 * `POST /admin/cache/flush` with `Authorization: Bearer <admin token>` and an optional JSON body
 * `{"prefix": "project:"}`: clears the named caches (the seed's "AI assistant gets stale code"
 * remedy, without FLUSHDB wiping the shared rate limits). Answers `{"flushed": {"name": count}}`.
 * With Redis caches one call clears them for every replica; in-memory caches only on this replica.
 */
export function createCacheFlushHandler(options: CacheFlushHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { caches, adminToken, log } = options;
  if (adminToken.length < MIN_ADMIN_TOKEN_LENGTH) throw new TypeError(`admin token must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`);

  return async function cacheFlush(req, res) {
    if (req.method !== 'POST') return reply(res, 405, 'method_not_allowed', 'aigate: /admin/cache/flush only answers POST', { allow: 'POST' });
    const token = bearerToken(req.headers.authorization);
    if (token === null) return reply(res, 401, 'auth_missing', 'aigate: send the admin token as Authorization: Bearer <token>');
    // Checked before the body is read: an unauthenticated client cannot make the proxy buffer anything.
    if (!adminTokenMatches(token, adminToken)) return reply(res, 401, 'auth_invalid', 'aigate: the admin token is not valid');
    const prefix = await readPrefix(req);
    if (prefix instanceof Error) return reply(res, 400, 'request_invalid', `aigate: ${prefix.message}`);
    const flushed: Record<string, number> = {};
    for (const [name, cache] of Object.entries(caches)) {
      try {
        flushed[name] = await cache.flush(prefix);
      } catch (error) {
        log?.error('cache flush failed', { cache: name, error: error instanceof Error ? error.message : String(error) });
        return reply(res, 503, 'cache_unavailable', `aigate: the ${name} cache could not be flushed (its store did not answer); nothing after it was flushed`);
      }
    }
    log?.info('caches flushed', { prefix: prefix ?? null, ...Object.fromEntries(Object.entries(flushed).map(([n, c]) => [`flushed_${n}`, c])) });
    send(res, 200, { flushed });
  };
}

async function readPrefix(req: IncomingMessage): Promise<string | undefined | Error> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return new Error(`the body must be at most ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Error('the body must be JSON: {} or {"prefix": "..."}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return new Error('the body must be a JSON object');
  const { prefix, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return new Error(`unknown field "${Object.keys(rest)[0]}"`);
  if (prefix === undefined) return undefined;
  if (typeof prefix !== 'string' || prefix.length > 256) return new Error('"prefix" must be a string of at most 256 characters');
  return prefix;
}

function reply(res: ServerResponse, status: number, code: DataplaneCode, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { error: { code, message } }, headers);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length, 'cache-control': 'no-store', ...headers });
  res.end(bytes);
}
