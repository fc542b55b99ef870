import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ProviderId } from '../../policy/providers.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { scanFile, type ScanContext } from './scan-file.ts';
import type { FileResult } from './scan-report.ts';

/** Paths handed to a worker at a time: small enough to balance, large enough to amortise messages. */
const BATCH = 128;

/** Below this many files, starting worker threads costs more than it saves. */
const WORKER_MIN_FILES = 2000;

/** Worker threads for a tree of `files` files: none for small trees, else one per core up to four. */
export function autoJobs(files: number): number {
  return files >= WORKER_MIN_FILES ? Math.max(2, Math.min(availableParallelism(), 4)) : 1;
}

export type OnProgress = (files: number, bytes: number) => void;

/** Scans `paths` one after the other in this thread; results keep the order of `paths`. */
export function scanInProcess(ctx: ScanContext, paths: readonly string[], onProgress: OnProgress = () => {}): FileResult[] {
  return paths.map((path) => {
    const result = scanFile(ctx, path);
    onProgress(1, result.status === 'visible' ? (result.size ?? 0) : 0);
    return result;
  });
}

/** What a worker needs to rebuild the scan context: the bundle payload, not compiled objects. */
export interface WorkerSetup {
  readonly payload: BundlePayloadV1;
  readonly projectPath: string;
  readonly now: number;
  readonly provider: ProviderId;
  readonly root: string;
}

/**
 * Scans with `jobs` worker threads, each activating the same bundle payload (so the same decide()
 * and redactor run there) and pulling batches of paths: the reads and the CPU-bound redaction of
 * one thread overlap with the others', which is the scan's bounded concurrency.
 */
export async function scanInWorkers(setup: WorkerSetup, paths: readonly string[], jobs: number, onProgress: OnProgress = () => {}): Promise<FileResult[]> {
  const results: FileResult[] = new Array(paths.length);
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: jobs }, () =>
        new Promise<void>((resolveWorker, rejectWorker) => {
          const worker = new Worker(new URL('./scan-worker.ts', import.meta.url), { workerData: setup });
          workers.push(worker);
          let start = 0;
          const send = () => {
            if (next >= paths.length) {
              resolveWorker();
              return;
            }
            start = next;
            next = Math.min(paths.length, next + BATCH);
            worker.postMessage(paths.slice(start, next));
          };
          worker.on('message', (batch: FileResult[]) => {
            let bytes = 0;
            for (let i = 0; i < batch.length; i++) {
              const result = batch[i] as FileResult;
              results[start + i] = result;
              if (result.status === 'visible') bytes += result.size ?? 0;
            }
            onProgress(batch.length, bytes);
            send();
          });
          worker.on('error', rejectWorker);
          worker.on('exit', (code) => (next >= paths.length ? resolveWorker() : rejectWorker(new Error(`scan worker exited with code ${code}`))));
          worker.once('online', send);
        }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

export type { ScanContext };
