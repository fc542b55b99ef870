import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { authenticate, authFailureReply, readCredentials, type AuthVia } from './auth.ts';
import { CONTROL_PREFIX, controlApi } from './control-api.ts';
import { badGatewayReply, rateLimitReply, type Faults } from './faults.ts';
import { jsonReply, readBody, writeReply, type Reply } from './reply.ts';
import { matchRoute } from './router.ts';
import type { FakeGitLabState } from './state.ts';
import type { Store } from './store.ts';

export interface RecordedRequest {
  readonly method: string;
  /** As sent (percent-encoding kept), without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly auth: AuthVia;
  /** 0 while unanswered, and for connections the `down` fault destroyed. */
  status: number;
  readonly at: number;
}

export interface ServerParts {
  readonly store: Store;
  readonly state: FakeGitLabState;
  readonly faults: Faults;
  readonly requests: RecordedRequest[];
  baseUrl(): string;
}

/** One request: control API, else record → faults → route → auth → handler. */
export async function handleRequest(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const method = (req.method ?? 'GET').toUpperCase();
  if (rawPath.startsWith(CONTROL_PREFIX)) {
    writeReply(res, controlApi(method, rawPath, await readBody(req), parts.faults.control, parts.state));
    return;
  }
  const query = Object.fromEntries(new URLSearchParams(rawQuery));
  const creds = readCredentials(req.headers, query);
  const record: RecordedRequest = { method, path: rawPath, query, auth: creds.via, status: 0, at: Date.now() };
  parts.requests.push(record);
  res.on('finish', () => {
    record.status = res.statusCode;
  });

  const fault = parts.faults.take(rawPath, rawPath === '/api/graphql');
  if (fault?.latencyMs) await sleep(fault.latencyMs);
  if (fault?.down) {
    req.socket.destroy();
    return;
  }
  if (fault?.badGateway) return writeReply(res, badGatewayReply());
  if (fault?.rateLimit) return writeReply(res, rateLimitReply(fault.rateLimit, creds.via !== 'none'));

  const route = matchRoute(method, rawPath);
  const body = method === 'GET' || method === 'HEAD' ? Buffer.alloc(0) : await readBody(req);
  let reply: Reply;
  if (route.noAuth) {
    reply = await route.handle({ method, rawPath, rawQuery, query, baseUrl: parts.baseUrl(), store: parts.store, principal: {}, body, fault });
  } else {
    const auth = authenticate(parts.store, creds, route.access, method);
    reply = !auth.ok
      ? (route.authFailure?.(auth.failure, auth.scopes) ?? authFailureReply(auth.failure, auth.scopes))
      : await route.handle({ method, rawPath, rawQuery, query, baseUrl: parts.baseUrl(), store: parts.store, principal: auth.principal, body, fault });
  }
  writeReply(res, reply);
}

export function internalError(res: ServerResponse, error: unknown): void {
  // A fake that hides its own bugs makes tests lie; say what broke.
  process.stderr.write(`fake gitlab: internal error: ${(error as Error).stack ?? String(error)}\n`);
  if (!res.headersSent) writeReply(res, jsonReply(500, { message: '500 Internal Server Error' }));
  else res.destroy();
}
