import { Worker } from 'node:worker_threads';
import type { LogFields } from '../log.ts';
import { START_CURSOR } from './journal-cursor.ts';
import type { Shipper, ShipperLag, ShipperOptions, ShipperStats } from './shipper.ts';

/** Messages between the proxy's thread and the shipper's. */
export type ToWorker = { readonly type: 'caughtUp'; readonly id: number; readonly timeoutMs: number } | { readonly type: 'stop' };
export type ToParent =
  | { readonly type: 'state'; readonly lag: ShipperLag; readonly stats: ShipperStats }
  | { readonly type: 'caughtUp'; readonly id: number; readonly ok: boolean }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly msg: string; readonly fields: LogFields }
  | { readonly type: 'stopped' };

export type ShipperThreadOptions = Omit<ShipperOptions, 'now' | 'beforeCursorUpdate'> & {
  /** How often the thread reports lag and stats (default 250 ms): lag() and stats() return the latest. */
  readonly statsIntervalMs?: number;
};

/**
 * startShipper in a worker thread: reading, parsing, validating and hashing journal lines and
 * encoding rows (about 20–40 µs of CPU per record) then happen off the proxy's event loop, so
 * shipping a backlog after an outage does not slow requests down on a machine with a spare core.
 * Same interface; lag() and stats() are the thread's latest report. If the thread dies, it is
 * reported in stats().lastError and as an error log; records stay in the journal.
 */
export function startShipperThread(options: ShipperThreadOptions): Shipper {
  const { log, ...data } = options;
  const worker = new Worker(new URL('./shipper-worker.ts', import.meta.url), { workerData: { statsIntervalMs: 250, ...data } });
  let lag: ShipperLag = { records: 0, seconds: 0 };
  let stats: ShipperStats = { journalId: options.journalId ?? null, connected: false, shipped: 0, duplicates: 0, batches: 0, skipped: 0, expired: 0, chainBreaks: 0, restarts: 0, partitionsCreated: 0, partitionsDropped: 0, cursor: START_CURSOR, lastError: null, lastNote: null };
  const waiting = new Map<number, (ok: boolean) => void>();
  let nextId = 0;
  let exited = false;
  const stopped = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  worker.on('message', (message: ToParent) => {
    if (message.type === 'state') ({ lag, stats } = message);
    else if (message.type === 'caughtUp') {
      waiting.get(message.id)?.(message.ok);
      waiting.delete(message.id);
    } else if (message.type === 'log') log?.[message.level](message.msg, message.fields);
  });
  worker.on('error', (error) => {
    stats = { ...stats, connected: false, lastError: `shipper thread failed: ${error.message}` };
    log?.error('audit shipper thread failed; records stay in the journal until the proxy restarts', { error: error.message });
  });
  worker.once('exit', () => {
    exited = true;
    for (const resolve of waiting.values()) resolve(false);
    waiting.clear();
  });

  return {
    lag: () => lag,
    stats: () => stats,
    caughtUp(timeoutMs = 30_000) {
      if (exited) return Promise.resolve(false);
      const id = ++nextId;
      return new Promise<boolean>((resolve) => {
        waiting.set(id, resolve);
        worker.postMessage({ type: 'caughtUp', id, timeoutMs } satisfies ToWorker);
      });
    },
    async stop() {
      if (!exited) worker.postMessage({ type: 'stop' } satisfies ToWorker);
      await stopped;
    },
  };
}
