import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from './errors.ts';
import type { FaultSpec, RecordedRequest } from './types.ts';

/** One request/response pair: writes the reply and keeps the request log entry current. */
export class Exchange {
  readonly record: RecordedRequest;
  readonly res: ServerResponse;
  readonly #t0: number;
  #closed = false;
  readonly #waiters = new Set<() => void>();

  constructor(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, t0: number) {
    this.record = record;
    this.res = res;
    this.#t0 = t0;
    res.on('close', () => {
      this.#closed = true;
      if (!res.writableFinished && !record.reset) record.clientAborted = true;
      record.timings.endMs ??= this.elapsed();
      for (const wake of this.#waiters) wake();
    });
    req.on('error', () => undefined);
  }

  /** The client went away, or the fake reset the connection. */
  get closed(): boolean {
    return this.#closed || this.res.destroyed;
  }

  elapsed(): number {
    return performance.now() - this.#t0;
  }

  /** Waits `ms`, returning early when the connection closes. */
  wait(ms: number): Promise<void> {
    if (ms <= 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.add(done);
    });
  }

  /** Status line and headers; every reply carries the request id both providers send. */
  writeHead(status: number, headers: Record<string, string>): void {
    if (this.closed) return;
    const id = this.record.requestId;
    const idHeader = this.record.flavour === 'anthropic' ? { 'request-id': id } : { 'x-request-id': id };
    this.res.writeHead(status, { ...idHeader, ...headers });
    this.record.status = status;
    this.record.timings.headersMs = this.elapsed();
  }

  /** Writes a chunk, honouring back-pressure; false once the connection is gone. */
  async write(chunk: string): Promise<boolean> {
    if (this.closed) return false;
    if (this.res.write(chunk)) return true;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.res.off('drain', done);
        this.#waiters.delete(done);
        resolve();
      };
      this.res.on('drain', done);
      this.#waiters.add(done);
    });
    return !this.closed;
  }

  /** Ends the response (with a last chunk, if given). */
  end(chunk?: string): void {
    if (this.closed) return;
    if (chunk === undefined) this.res.end();
    else this.res.end(chunk);
    this.record.completed = true;
    this.record.timings.endMs = this.elapsed();
  }

  /** A complete body with its length, in one write. */
  sendBody(status: number, text: string, contentType: string, headers: Record<string, string> = {}): void {
    this.writeHead(status, { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)), ...headers });
    this.end(text);
  }

  sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.sendBody(status, JSON.stringify(body), 'application/json', headers);
  }

  /** An error in the request's own format (Anthropic or OpenAI), with the fault's headers. */
  sendError(status: number, message?: string, fault?: FaultSpec, openaiCode?: string | null): void {
    const headers: Record<string, string> = {};
    const retryAfter = fault?.retryAfter ?? (status === 429 ? 1 : undefined);
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    if (fault?.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
    if (fault?.shouldRetry !== undefined) headers['x-should-retry'] = String(fault.shouldRetry);
    if (status === 429) headers[this.record.flavour === 'anthropic' ? 'anthropic-ratelimit-requests-remaining' : 'x-ratelimit-remaining-requests'] = '0';
    if (fault?.body) return this.sendBody(status, fault.body.text, fault.body.contentType, headers);
    this.sendJson(status, errorBody(this.record.flavour, status, this.record.requestId, message, openaiCode), headers);
  }

  /** Drops the connection with a TCP reset, as a crashed upstream or a load balancer does. */
  reset(): void {
    this.record.reset = true;
    const socket = this.res.socket;
    if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket?.destroy();
    this.#closed = true;
  }
}
