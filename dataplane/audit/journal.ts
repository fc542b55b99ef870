import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { validateAuditRecord } from '../../schemas/generated/audit-record.validate.js';
import type { AuditRecordV1 } from './audit-record.ts';
import { writeHead } from './head-file.ts';
import { formatLine, hashLine, journalFileName } from './journal-files.ts';
import { recoverJournal, type JournalPosition } from './journal-recover.ts';
import { appendBatch, closeSegment, openSegment, segmentStillInPlace, type Segment } from './journal-segment.ts';

export interface JournalOptions {
  readonly dir: string;
  /** Longest a record waits before its batch is written (ms). */
  readonly flushIntervalMs?: number;
  /** A batch is written at once when this many records wait; also the most lines per write. */
  readonly maxBatch?: number;
  /** fdatasync after every batch (and the head file before it is renamed). */
  readonly fsync?: boolean;
  readonly now?: () => Date;
  /** Records kept in memory while the disk refuses writes; more are dropped and counted. */
  readonly maxPending?: number;
}

export interface JournalHealth {
  /** False while writes fail or the journal on disk needs a person (the proxy then fails closed). */
  readonly writable: boolean;
  /** The most recent error or anomaly; kept after recovery so it can still be seen. */
  readonly lastError: string | null;
  /** Records accepted but not yet written (and synced). */
  readonly pending: number;
  readonly lastSeq: number;
  /** The day file being written (absolute path), or null before the first record. */
  readonly file: string | null;
  /** Records refused because `maxPending` was reached or the journal was closed. */
  readonly dropped: number;
  /** Records refused because they fail the audit record schema (a bug in the caller). */
  readonly invalid: number;
}

export interface Journal {
  /** Queues a record; never throws, never waits. False when it was dropped or invalid (see health). */
  append(record: AuditRecordV1): boolean;
  /** Resolves when every record appended before the call is written (and synced); rejects if that fails now. */
  flush(): Promise<void>;
  /** Flushes, then closes; rejects, after closing, when records could not be written. */
  close(): Promise<void>;
  health(): JournalHealth;
}

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 1000;

/**
 * Opens the append-only, hash-chained audit journal in `dir` (created if missing). Never rejects for
 * I/O problems: a journal that cannot write yet reports it in `health()` and keeps retrying.
 */
export async function openJournal(options: JournalOptions): Promise<Journal> {
  const journal = new JournalWriter(options);
  await mkdir(options.dir, { recursive: true, mode: 0o750 }).catch(() => undefined);
  await journal.start();
  return journal;
}

class JournalWriter implements Journal {
  readonly #dir: string;
  readonly #flushIntervalMs: number;
  readonly #maxBatch: number;
  readonly #fsync: boolean;
  readonly #now: () => Date;
  readonly #maxPending: number;
  // Records as JSON, stringified at append time: a caller changing the object later cannot change
  // what is audited, and a record that cannot be serialised is refused before it can block a batch.
  readonly #queue: string[] = [];
  #accepted = 0;
  #written = 0;
  #dropped = 0;
  #invalid = 0;
  #position: JournalPosition | null = null;
  #segment: Segment | null = null;
  #headDirty = false;
  #writable = true;
  #lastError: string | null = null;
  #retryMs = RETRY_FIRST_MS;
  #timer: NodeJS.Timeout | null = null;
  #draining: Promise<void> | null = null;
  #waiters: Waiter[] = [];
  #closed = false;
  #stopped = false;
  #closing: Promise<void> | null = null;

  constructor(options: JournalOptions) {
    this.#dir = options.dir;
    this.#flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs ?? 50, true);
    this.#maxBatch = positive('maxBatch', options.maxBatch ?? 256, false);
    this.#fsync = options.fsync ?? true;
    this.#now = options.now ?? (() => new Date());
    this.#maxPending = positive('maxPending', options.maxPending ?? 100_000, false);
  }

  async start(): Promise<void> {
    this.#kick();
    await this.#draining;
  }

  append(record: AuditRecordV1): boolean {
    if (this.#closed || this.#queue.length >= this.#maxPending) {
      this.#dropped++;
      return false;
    }
    let json: string;
    try {
      if (!validateAuditRecord(record)) throw new Error(schemaMessage());
      json = JSON.stringify(record);
    } catch (error) {
      this.#invalid++;
      this.#lastError = `audit record refused: ${message(error)}`;
      return false;
    }
    this.#queue.push(json);
    this.#accepted++;
    if (this.#draining === null && this.#writable) {
      if (this.#queue.length >= this.#maxBatch) this.#kick();
      else this.#timer ??= setTimeout(() => this.#kick(), this.#flushIntervalMs);
    }
    return true;
  }

  flush(): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error('the audit journal is closed'));
    const target = this.#accepted;
    if (this.#written >= target && !this.#headDirty) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#waiters.push({ target, resolve, reject });
      this.#kick();
    });
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutDown();
    return this.#closing;
  }

  health(): JournalHealth {
    const file = this.#segment?.path ?? (this.#position?.file ? join(this.#dir, this.#position.file) : null);
    return { writable: this.#writable, lastError: this.#lastError, pending: this.#queue.length, lastSeq: this.#position?.seq ?? 0, file, dropped: this.#dropped, invalid: this.#invalid };
  }

  async #shutDown(): Promise<void> {
    this.#closed = true;
    let failure: unknown = null;
    await this.flush().catch((error: unknown) => void (failure = error));
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#draining;
    const segment = this.#segment;
    this.#segment = null;
    if (segment) await closeSegment(segment).catch((error: unknown) => void (failure ??= error));
    if (failure !== null) throw new Error(`audit journal closed with ${this.#queue.length} record(s) not written: ${message(failure)}`);
  }

  /** Starts writing now unless a drain is already running (it picks up what was queued meanwhile). */
  #kick(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#draining !== null || this.#stopped) return;
    this.#draining = this.#drain();
  }

  async #drain(): Promise<void> {
    try {
      do {
        await this.#cycle();
        this.#writable = true;
        this.#retryMs = RETRY_FIRST_MS;
        this.#settle((w) => w.target <= this.#written, null);
      } while (!this.#stopped && (this.#queue.length >= this.#maxBatch || (this.#queue.length > 0 && this.#waiters.length > 0)));
    } catch (error) {
      this.#writable = false;
      this.#lastError = message(error);
      this.#settle(() => true, error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.#draining = null;
      this.#schedule();
    }
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    if (!this.#writable) {
      // Retried even when nothing waits, so health turns writable again once the disk is back.
      this.#timer = setTimeout(() => this.#kick(), this.#retryMs);
      this.#timer.unref();
      this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS);
    } else if (this.#queue.length > 0) {
      this.#timer = setTimeout(() => this.#kick(), this.#flushIntervalMs);
    }
  }

  #settle(which: (waiter: Waiter) => boolean, error: Error | null): void {
    const keep: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (!which(waiter)) keep.push(waiter);
      else if (error) waiter.reject(error);
      else waiter.resolve();
    }
    this.#waiters = keep;
  }

  /** One group commit: recover if needed, write one batch, sync it, then move the head. */
  async #cycle(): Promise<void> {
    if (this.#position === null) {
      const recovered = await recoverJournal(this.#dir, this.#now());
      this.#position = { file: recovered.file, seq: recovered.seq, hash: recovered.hash };
      for (const fragment of recovered.torn) this.#noteTorn(fragment);
    }
    if (this.#queue.length > 0) await this.#writeBatch(this.#position);
    if (this.#headDirty && this.#position.file !== null) {
      await writeHead(this.#dir, { file: this.#position.file, seq: this.#position.seq, hash: this.#position.hash }, this.#fsync);
      this.#headDirty = false;
    }
  }

  async #writeBatch(position: JournalPosition): Promise<void> {
    // Never back to an older day file when the clock steps back: file order is chain order.
    const today = journalFileName(this.#now());
    const segment = await this.#segmentFor(position.file !== null && position.file > today ? position.file : today);
    const count = Math.min(this.#queue.length, this.#maxBatch);
    const lines: string[] = [];
    let { seq, hash } = position;
    for (let i = 0; i < count; i++) {
      const line = formatLine(++seq, hash, this.#queue[i] as string);
      hash = hashLine(line);
      lines.push(line, '\n');
    }
    await appendBatch(segment, Buffer.from(lines.join('')), this.#fsync);
    this.#queue.splice(0, count);
    this.#written += count;
    this.#position = { file: segment.name, seq, hash };
    this.#headDirty = true;
  }

  async #segmentFor(name: string): Promise<Segment> {
    const current = this.#segment;
    if (current?.name === name && (await segmentStillInPlace(current))) return current;
    if (current) {
      this.#segment = null;
      if (current.name === name) this.#lastError = `${current.path} was removed or replaced while open; writing continues in whatever that path now names (aigate audit verify will show what is missing)`;
      await closeSegment(current).catch(() => undefined);
    }
    this.#segment = await openSegment(this.#dir, name, { fsync: this.#fsync, now: this.#now(), onTorn: (fragment) => this.#noteTorn(fragment) });
    return this.#segment;
  }

  #noteTorn(fragment: string): void {
    this.#lastError = `an unfinished line (a write cut off by a crash) was moved to ${fragment}`;
  }
}

function positive(name: string, value: number, allowZero: boolean): number {
  if (!Number.isSafeInteger(value) || value < (allowZero ? 0 : 1)) throw new TypeError(`openJournal: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer`);
  return value;
}

function schemaMessage(): string {
  const first = validateAuditRecord.errors?.[0];
  return first ? `it fails the audit record schema at "${first.instancePath}": ${first.message ?? 'invalid'}` : 'it fails the audit record schema';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
