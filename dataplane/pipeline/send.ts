import type { DataplaneError } from '../codes.ts';
import type { RequestContext } from './request-context.ts';

/** Sends a complete response and records what the audit needs (status, bytes, first-byte time). */
export function send(ctx: RequestContext, status: number, headers: Record<string, string | number>, body: string | Buffer): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  ctx.res.writeHead(status, { 'x-aigate-request-id': ctx.id, 'content-length': bytes.length, ...headers });
  ctx.ttfb ??= performance.now() - ctx.start;
  ctx.res.end(bytes);
  ctx.bytesOut += bytes.length;
  ctx.outcome.status = status;
}

/** Anthropic's error types by HTTP status, so Claude Code shows the message instead of retrying. */
const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  503: 'overloaded_error',
};

/** OpenAI's error types by HTTP status. */
const OPENAI_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'permission_denied',
  404: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  503: 'server_error',
};

/**
 * Writes an error in the format the client understands (aigate JSON, Anthropic or OpenAI), with the
 * stable code, so an assistant shows the user why. Nothing but the code and message goes out.
 */
export function sendError(ctx: RequestContext, error: DataplaneError): void {
  ctx.outcome = { decision: error.decision, reason: error.code, status: error.status };
  if (ctx.res.headersSent) {
    ctx.res.destroy();
    return;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (error.retryAfter !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfter)));
  let body: unknown;
  if (ctx.errorFormat === 'anthropic') {
    body = { type: 'error', error: { type: ANTHROPIC_TYPES[error.status] ?? 'api_error', message: error.message, code: error.code }, request_id: ctx.id };
  } else if (ctx.errorFormat === 'openai') {
    body = { error: { message: error.message, type: OPENAI_TYPES[error.status] ?? 'server_error', param: null, code: error.code } };
  } else {
    body = { error: { code: error.code, message: error.message, request_id: ctx.id } };
  }
  send(ctx, error.status, headers, JSON.stringify(body));
}
