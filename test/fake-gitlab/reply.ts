import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler answers; the server writes it (HEAD drops the body but keeps Content-Length). */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'Content-Type': 'application/json', ...headers }, body: Buffer.from(JSON.stringify(value)) };
}

export function textReply(status: number, text: string, headers: Record<string, string> = {}, contentType = 'text/plain; charset=utf-8'): Reply {
  return { status, headers: { 'Content-Type': contentType, ...headers }, body: Buffer.from(text) };
}

export function bytesReply(status: number, body: Buffer, headers: Record<string, string>): Reply {
  return { status, headers, body };
}

/** `not_found!('Project')` → `{"message":"404 Project Not Found"}`. */
export function notFound(what: string): Reply {
  return jsonReply(404, { message: `404 ${what} Not Found` });
}

/** Grape's unknown-route answer. */
export function routeNotFound(): Reply {
  return jsonReply(404, { error: '404 Not Found' });
}

export function forbidden(message = '403 Forbidden'): Reply {
  return jsonReply(403, { message });
}

export function unauthorized(): Reply {
  return jsonReply(401, { message: '401 Unauthorized' });
}

export function writeReply(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(reply.body.length) });
  res.end(reply.body);
}

/** Reads a request body up to `limit` bytes (larger bodies are cut off with an error). */
export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}
