import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { DataplaneError } from '../codes.ts';
import type { RequestContext } from '../pipeline/request-context.ts';
import type { Upstream } from './upstream.ts';

/** Hop-by-hop and transport headers: they describe one connection, not the message. */
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length', 'expect', 'http2-settings']);
/**
 * Request headers that never go upstream: every place a client may put its GitLab token (the
 * provider must never receive it), cookies, and aigate's own headers.
 */
const PRIVATE = new Set(['authorization', 'x-api-key', 'private-token', 'job-token', 'cookie', 'x-ai-repo', 'x-forwarded-for', 'x-real-ip', 'forwarded']);
/** A different key may succeed where this one was refused or the provider failed. */
const RETRY_WITH_NEXT_KEY = (status: number) => status === 429 || status === 401 || status >= 500;

export function upstreamHeaders(incoming: IncomingHttpHeaders, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP.has(name) || PRIVATE.has(name) || name.startsWith('x-aigate-') || name.startsWith('proxy-')) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { ...out, ...extra };
}

/**
 * forward: sends the (redacted) body to the provider with the provider's key and streams the answer
 * back unbuffered. Keys rotate round-robin; on 429, 401 or 5xx the next key is tried as long as no
 * byte has reached the client. A client that goes away cancels the upstream request.
 */
export async function forward(ctx: RequestContext, upstream: Upstream, request: { path: string; method: 'GET' | 'POST'; headers: Record<string, string>; body: Buffer | undefined }): Promise<void> {
  const config = upstream.config;
  const abort = new AbortController();
  const onClose = () => {
    if (!ctx.res.writableFinished) abort.abort();
  };
  ctx.res.on('close', onClose);
  try {
    const order = upstream.keyOrder();
    let response: Dispatcher.ResponseData | undefined;
    for (let attempt = 0; attempt < order.length; attempt++) {
      const index = order[attempt]!;
      const key = config.keys[index]!;
      const headers = { ...request.headers, ...(config.auth === 'bearer' ? { authorization: `Bearer ${key}` } : { 'x-api-key': key }) };
      const started = performance.now();
      ctx.keyIndex = index;
      try {
        response = await upstream.pool.request({ path: upstream.basePath + request.path, method: request.method, headers, body: request.body ?? null, signal: abort.signal, headersTimeout: config.firstByteTimeoutMs, bodyTimeout: config.idleTimeoutMs });
      } catch (error) {
        throw upstreamError(error, abort.signal.aborted);
      }
      ctx.upstreamMs = performance.now() - started;
      ctx.upstreamStatus = response.statusCode;
      if (attempt < order.length - 1 && RETRY_WITH_NEXT_KEY(response.statusCode)) {
        await response.body.dump().catch(() => undefined);
        continue;
      }
      break;
    }
    if (!response) throw new DataplaneError('provider_unconfigured', 'aigate: the provider has no API key configured');
    await streamResponse(ctx, response);
  } finally {
    ctx.res.off('close', onClose);
  }
}

/** Writes an upstream response to the client as it arrives; a failure after the headers cuts the connection. */
export async function streamResponse(ctx: RequestContext, response: Dispatcher.ResponseData): Promise<void> {
  const headers: Record<string, string | string[]> = { 'x-aigate-request-id': ctx.id, 'x-aigate-redactions': String(Object.values(ctx.redactions).reduce((a, b) => a + b, 0)) };
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined || HOP.has(name) || name === 'set-cookie') continue;
    headers[name] = value;
  }
  const length = response.headers['content-length'];
  if (typeof length === 'string') headers['content-length'] = length;
  ctx.outcome = { decision: 'allow', reason: null, status: response.statusCode };
  ctx.res.writeHead(response.statusCode, headers);
  // An event stream's headers go out at once (the client starts listening); any other answer's
  // headers leave with its first body bytes, one write instead of two.
  if (String(response.headers['content-type'] ?? '').startsWith('text/event-stream')) ctx.res.flushHeaders();
  try {
    // Events rather than `for await`: an async iterator costs a promise per chunk on the hot path.
    await new Promise<void>((resolve, reject) => {
      const body = response.body;
      body.on('data', (chunk: Buffer) => {
        ctx.ttfb ??= performance.now() - ctx.start;
        ctx.bytesOut += chunk.length;
        if (!ctx.res.write(chunk)) {
          body.pause();
          ctx.res.once('drain', () => body.resume());
        }
      });
      body.once('end', resolve);
      body.once('error', reject);
      ctx.res.once('close', () => {
        if (!ctx.res.writableEnded) reject(new DataplaneError('client_closed', 'aigate: the client closed the connection'));
      });
    });
    ctx.ttfb ??= performance.now() - ctx.start;
    ctx.res.end();
  } catch (error) {
    // Headers are out: the only honest signal left is to cut the connection, never a fake end.
    const failure = error instanceof DataplaneError ? error : upstreamError(error, ctx.res.destroyed);
    ctx.outcome = { decision: 'error', reason: failure.code, status: response.statusCode };
    ctx.res.destroy();
    response.body.destroy();
  }
}

export function upstreamError(error: unknown, aborted: boolean): DataplaneError {
  if (aborted) return new DataplaneError('client_closed', 'aigate: the client closed the connection');
  const code = (error as { code?: string } | null)?.code;
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT') return new DataplaneError('upstream_timeout', 'aigate: the provider did not answer in time', { retryAfter: 5 });
  if (code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') return new DataplaneError('upstream_interrupted', 'aigate: the connection to the provider broke');
  return new DataplaneError('upstream_unavailable', 'aigate: the provider cannot be reached', { retryAfter: 5 });
}
