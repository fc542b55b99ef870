export interface Job {
  /** Jobs with the same key coalesce: one pending run does the work of all of them. */
  readonly key: string;
  /** Runs alone: waits for running jobs and holds back the others (a full sync). */
  readonly exclusive?: boolean;
  run(): Promise<void>;
}

export interface WorkQueue {
  /** Queues a job; if one with the same key is waiting, this one replaces it (the latest wins). */
  push(job: Job): void;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  readonly size: number;
  stop(): void;
}

/**
 * Per-key coalescing with bounded concurrency. A key that is already running is not run twice at
 * once: a new job for it waits and runs after (so the last event is never lost). Failures are
 * handed to `onError` and do not stop the queue.
 */
export function createWorkQueue(concurrency: number, onError: (key: string, error: unknown) => void): WorkQueue {
  const waiting = new Map<string, Job>();
  const running = new Set<string>();
  let exclusiveRunning = false;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const settleIdle = () => {
    if (waiting.size === 0 && running.size === 0) {
      for (const w of idleWaiters) w();
      idleWaiters = [];
    }
  };

  const pump = () => {
    if (stopped) return;
    for (const [key, job] of waiting) {
      if (exclusiveRunning || running.size >= concurrency || running.has(key)) continue;
      if (job.exclusive && running.size > 0) break;
      waiting.delete(key);
      running.add(key);
      if (job.exclusive) exclusiveRunning = true;
      void job
        .run()
        .catch((error: unknown) => onError(key, error))
        .finally(() => {
          running.delete(key);
          if (job.exclusive) exclusiveRunning = false;
          pump();
          settleIdle();
        });
      if (job.exclusive) break;
    }
  };

  return {
    push(job) {
      waiting.delete(job.key);
      waiting.set(job.key, job);
      // Start on the next turn: the webhook answer goes out before any job work begins.
      setImmediate(pump);
    },
    idle() {
      if (waiting.size === 0 && running.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    get size() {
      return waiting.size + running.size;
    },
    stop() {
      stopped = true;
      waiting.clear();
      settleIdle();
    },
  };
}
