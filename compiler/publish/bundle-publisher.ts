import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from './atomic-write.ts';

export interface PublishedBundle {
  readonly serial: number;
  /** Strong ETag (quoted): a digest of the exact bytes served. */
  readonly etag: string;
  readonly text: string;
  readonly publishedAt: number;
}

export interface BundlePublisher {
  current(): PublishedBundle | undefined;
  /** Replaces `current.json` atomically, wakes long polls, then writes `versions/<serial>.json`. */
  publish(text: string, serial: number): Promise<PublishedBundle>;
  /** A versioned copy, if still kept. */
  version(serial: number): Promise<string | undefined>;
  /** Resolves with the current bundle as soon as its ETag differs from `etag`, or undefined after `ms`. */
  waitForNewer(etag: string, ms: number, signal?: AbortSignal): Promise<PublishedBundle | undefined>;
  /** Releases every waiting long poll (server shutdown). */
  close(): void;
}

export const etagOf = (text: string): string => `"sha256-${createHash('sha256').update(text).digest('base64url')}"`;

function serialOf(text: string): number | undefined {
  try {
    const envelope = JSON.parse(text) as { payload?: string };
    const payload = JSON.parse(Buffer.from(envelope.payload ?? '', 'base64').toString('utf8')) as { serial?: unknown };
    return typeof payload.serial === 'number' ? payload.serial : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The publishing directory: `current.json` (what proxies fetch) and `versions/<serial>.json` (the
 * last `keep` bundles, for audit and rollback by re-signing). Readers of `current.json` see the old
 * or the new bundle, never half of one (write to a temporary file, fsync, rename).
 */
export async function openPublisher(dir: string, options: { keep?: number } = {}): Promise<BundlePublisher> {
  const keep = options.keep ?? 50;
  const versions = join(dir, 'versions');
  await mkdir(versions, { recursive: true });
  let current: PublishedBundle | undefined;
  const existing = await readFile(join(dir, 'current.json'), 'utf8').catch(() => undefined);
  const existingSerial = existing === undefined ? undefined : serialOf(existing);
  if (existing !== undefined && existingSerial !== undefined) current = { serial: existingSerial, etag: etagOf(existing), text: existing, publishedAt: Date.now() };
  const waiters = new Set<(b: PublishedBundle | undefined) => void>();

  const prune = async () => {
    const serials = (await readdir(versions)).map((f) => /^(\d+)\.json$/.exec(f)?.[1]).filter((s) => s !== undefined).map(Number).sort((a, b) => b - a);
    for (const old of serials.slice(keep)) await unlink(join(versions, `${old}.json`)).catch(() => undefined);
  };

  return {
    current: () => current,
    async publish(text, serial) {
      await atomicWrite(join(dir, 'current.json'), text);
      current = { serial, etag: etagOf(text), text, publishedAt: Date.now() };
      const published = current;
      // Proxies first: the versioned copy is history and can follow a few milliseconds later.
      for (const wake of [...waiters]) wake(published);
      await atomicWrite(join(versions, `${serial}.json`), text);
      await prune();
      return published;
    },
    async version(serial) {
      if (!Number.isSafeInteger(serial) || serial < 0) return undefined;
      return readFile(join(versions, `${serial}.json`), 'utf8').catch(() => undefined);
    },
    waitForNewer(etag, ms, signal) {
      if (current && current.etag !== etag) return Promise.resolve(current);
      return new Promise((resolve) => {
        const done = (b: PublishedBundle | undefined) => {
          clearTimeout(timer);
          waiters.delete(done);
          signal?.removeEventListener('abort', onAbort);
          resolve(b);
        };
        const onAbort = () => done(undefined);
        const timer = setTimeout(() => done(undefined), ms);
        waiters.add(done);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    close() {
      for (const wake of [...waiters]) wake(undefined);
    },
  };
}
