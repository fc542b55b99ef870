import type { Exchange } from './exchange.ts';
import type { FaultSpec } from './types.ts';

/** One server-sent event; `data` is already serialized (JSON or `[DONE]`). */
export interface SseFrame {
  event?: string;
  data: string;
}

export function serializeFrame(frame: SseFrame): string {
  return `${frame.event !== undefined ? `event: ${frame.event}\n` : ''}data: ${frame.data}\n\n`;
}

export function jsonFrame(data: unknown, event?: string): SseFrame {
  return event === undefined ? { data: JSON.stringify(data) } : { event, data: JSON.stringify(data) };
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

export interface StreamOptions {
  delayMs: number;
  fault: FaultSpec | undefined;
  /** The flavour's in-stream error event, sent when `streamErrorAfterEvents` is reached. */
  errorFrame: (index: number) => SseFrame;
}

/** Lets what was written reach the client before a reset, so "K events, then a reset" is what it sees. */
async function flushThenReset(ex: Exchange): Promise<void> {
  await new Promise<void>((resolve) => (ex.closed ? resolve() : ex.res.write('', () => resolve())));
  await ex.wait(15);
  if (!ex.closed) ex.reset();
}

/** Writes the events one by one with the scripted delay, applying reset and error faults. */
export async function streamSse(ex: Exchange, frames: readonly SseFrame[], options: StreamOptions): Promise<void> {
  const { fault } = options;
  if (fault?.resetAfterEvents === 0) {
    ex.reset();
    return;
  }
  ex.writeHead(200, SSE_HEADERS);
  if (ex.closed) return;
  // Headers go out at once, as the real APIs send them, so time to first byte is measurable.
  ex.res.flushHeaders();
  for (let i = 0; i < frames.length; i++) {
    if (fault?.resetAfterEvents === i) return flushThenReset(ex);
    if (fault?.streamErrorAfterEvents === i) {
      await ex.write(serializeFrame(options.errorFrame(i)));
      ex.end();
      return;
    }
    if (i > 0) await ex.wait(options.delayMs);
    const frame = frames[i];
    if (!frame || !(await ex.write(serializeFrame(frame)))) return;
    if (ex.record.eventsSent === 0) ex.record.timings.firstEventMs = ex.elapsed();
    ex.record.eventsSent++;
  }
  if (fault?.resetAfterEvents !== undefined && fault.resetAfterEvents >= frames.length) return flushThenReset(ex);
  ex.end();
}

/** A non-streaming JSON reply, cut after the headers and half the body when the fault says so. */
export async function sendJsonReply(ex: Exchange, body: unknown, fault: FaultSpec | undefined): Promise<void> {
  if (fault?.resetAfterEvents === undefined) {
    ex.sendJson(200, body);
    return;
  }
  if (fault.resetAfterEvents === 0) {
    ex.reset();
    return;
  }
  const text = JSON.stringify(body);
  ex.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  await ex.write(text.slice(0, Math.floor(text.length / 2)));
  await flushThenReset(ex);
}
