import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './work-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('work queue', () => {
  it('coalesces waiting jobs per key, runs a key once at a time, and bounds concurrency', async () => {
    const runs: string[] = [];
    let active = 0;
    let peak = 0;
    const queue = createWorkQueue(2, () => undefined);
    const job = (key: string, label: string) => ({
      key,
      run: async () => {
        active++;
        peak = Math.max(peak, active);
        runs.push(label);
        await tick();
        active--;
      },
    });
    queue.push(job('a', 'a1'));
    queue.push(job('a', 'a2'));
    await new Promise((r) => setImmediate(r));
    // a1 was replaced by a2 before anything started; a2 is running now.
    queue.push(job('a', 'a3'));
    queue.push(job('a', 'a4'));
    queue.push(job('b', 'b1'));
    queue.push(job('c', 'c1'));
    await queue.idle();
    // a3 was replaced by a4 while waiting behind the running a2, which never ran twice at once.
    expect(runs.filter((r) => r.startsWith('a'))).toEqual(['a2', 'a4']);
    expect(runs.sort()).toEqual(['a2', 'a4', 'b1', 'c1']);
    expect(peak).toBe(2);
  });

  it('runs an exclusive job alone, and keeps going after a failure', async () => {
    const log: string[] = [];
    const errors: string[] = [];
    const queue = createWorkQueue(4, (key) => void errors.push(key));
    queue.push({ key: 'p1', run: async () => { log.push('p1+'); await tick(); log.push('p1-'); } });
    queue.push({ key: 'org', exclusive: true, run: async () => { log.push('org+'); await tick(); log.push('org-'); } });
    queue.push({ key: 'p2', run: async () => { log.push('p2+'); throw new Error('boom'); } });
    queue.push({ key: 'p3', run: async () => void log.push('p3') });
    await queue.idle();
    expect(log.slice(0, 4)).toEqual(['p1+', 'p1-', 'org+', 'org-']);
    expect(log).toContain('p3');
    expect(errors).toEqual(['p2']);
  });
});
