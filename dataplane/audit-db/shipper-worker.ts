// Entry of the shipper's worker thread (see shipper-thread.ts): runs startShipper with the options
// it was given and answers the parent's messages. Not imported by anything else.
import { parentPort, workerData } from 'node:worker_threads';
import type { LogFields, Logger } from '../log.ts';
import { startShipper, type ShipperOptions } from './shipper.ts';
import type { ToParent, ToWorker } from './shipper-thread.ts';

const port = parentPort;
if (port === null) throw new Error('shipper-worker.ts runs only as a worker thread');
const post = (message: ToParent): void => port.postMessage(message);
const log = (level: 'info' | 'warn' | 'error') => (msg: string, fields?: LogFields) => post({ type: 'log', level, msg, fields: fields ?? {} });
const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };

const { statsIntervalMs, ...options } = workerData as Omit<ShipperOptions, 'log' | 'now' | 'beforeCursorUpdate'> & { statsIntervalMs: number };
const shipper = startShipper({ ...options, log: logger });
const report = (): void => post({ type: 'state', lag: shipper.lag(), stats: shipper.stats() });
const timer = setInterval(report, statsIntervalMs);
report();

port.on('message', (message: ToWorker) => {
  if (message.type === 'caughtUp') {
    void shipper.caughtUp(message.timeoutMs).then((ok) => {
      report();
      post({ type: 'caughtUp', id: message.id, ok });
    });
  } else if (message.type === 'stop') {
    clearInterval(timer);
    void shipper.stop().then(() => {
      report();
      post({ type: 'stopped' });
      port.close();
    });
  }
});
