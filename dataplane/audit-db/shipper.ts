import { readHead } from '../audit/head-file.ts';
import { watchDirectory } from '../audit/watch-directory.ts';
import type { Logger } from '../log.ts';
import { closeDatabase, connectDatabase, describeDatabaseUrl } from './connect-database.ts';
import { readCursor, START_CURSOR, type JournalCursor } from './journal-cursor.ts';
import { journalIdFor } from './journal-id.ts';
import { migrateDatabase } from './migrate.ts';
import { addDays, dropExpiredPartitions, ensurePartitions, partitionName, retentionStart, utcDay } from './partitions.ts';
import { readJournalBatch, type JournalBatch } from './read-journal-batch.ts';
import { recordToRow } from './record-row.ts';
import { shipBatch } from './ship-batch.ts';

export interface ShipperOptions {
  readonly journalDir: string;
  readonly databaseUrl: string;
  /** Default: the id in `<journalDir>/journal.id`, created on first use. */
  readonly journalId?: string;
  /** Lines per transaction (default 1000). */
  readonly batchSize?: number;
  /** Longest wait for new lines when caught up; file-system events usually wake it sooner (default 1000 ms). */
  readonly pollMs?: number;
  /**
   * Once woken, how long to let lines gather before reading them (default 100 ms): a busy journal
   * writes a batch every ~50 ms, and one transaction for several of them costs less than one each.
   */
  readonly batchDelayMs?: number;
  /** Days of records kept (whole UTC days before today); undefined or null keeps everything. */
  readonly retentionDays?: number | null;
  /** How often partitions are created ahead and expired ones dropped (default 1 h). */
  readonly maintenanceIntervalMs?: number;
  /** Days of partitions created ahead of today (default 2). */
  readonly partitionsAhead?: number;
  /** Apply migrations on connecting (default true; `aigate db migrate` does it separately). */
  readonly migrate?: boolean;
  /** Longest wait between retries while PostgreSQL is unreachable (default 5000 ms). */
  readonly maxBackoffMs?: number;
  /** Connecting, and one statement, give up after these (defaults 5 s and 30 s): a hung database counts as down. */
  readonly connectTimeoutMs?: number;
  readonly queryTimeoutMs?: number;
  readonly now?: () => Date;
  readonly log?: Logger;
  /** Tests only: runs inside a batch's transaction after its insert, before its cursor moves. */
  readonly beforeCursorUpdate?: (inserted: number) => Promise<void> | void;
}

export interface ShipperLag {
  /** Journal lines (as of the last flushed head) not yet in PostgreSQL. */
  readonly records: number;
  /** Age of the oldest record not yet shipped (0 when caught up). */
  readonly seconds: number;
}

export interface ShipperStats {
  readonly journalId: string | null;
  readonly connected: boolean;
  /** Rows inserted. */
  readonly shipped: number;
  /** Lines shipped again whose rows were already there (after a crash or a restart). */
  readonly duplicates: number;
  readonly batches: number;
  /** Lines that were not valid journal lines, passed over. */
  readonly skipped: number;
  /** Records older than retention, not shipped (their partition is dropped anyway). */
  readonly expired: number;
  readonly chainBreaks: number;
  readonly restarts: number;
  readonly partitionsCreated: number;
  readonly partitionsDropped: number;
  readonly cursor: JournalCursor;
  readonly lastError: string | null;
  readonly lastNote: string | null;
}

export interface Shipper {
  lag(): ShipperLag;
  stats(): ShipperStats;
  /** Resolves true once a pass finds nothing left to ship (false after `timeoutMs`). Flush the journal first. */
  caughtUp(timeoutMs?: number): Promise<boolean>;
  /** Finishes the batch in flight, then closes the connection. */
  stop(): Promise<void>;
}

type Db = Awaited<ReturnType<typeof connectDatabase>>;

/**
 * Ships the JSONL audit journal in `journalDir` to the ai_requests table, at least once and in
 * order: each batch and the journal's cursor commit together, rows already present are skipped, and
 * while PostgreSQL is unreachable the shipper retries with backoff and the journal simply grows —
 * nothing is lost, and on reconnect it catches up from the stored cursor.
 */
export function startShipper(options: ShipperOptions): Shipper {
  return new JournalShipper(options).start();
}

class JournalShipper {
  readonly #o: Required<Pick<ShipperOptions, 'batchSize' | 'pollMs' | 'batchDelayMs' | 'maintenanceIntervalMs' | 'partitionsAhead' | 'maxBackoffMs'>> & ShipperOptions;
  readonly #now: () => Date;
  readonly #controller = new AbortController();
  readonly #partitions = new Set<string>();
  #journalId: string | null;
  #db: Db | null = null;
  #migrated = false;
  #cursor: JournalCursor = START_CURSOR;
  #headSeq = 0;
  #pendingSince: number | null = null;
  #nextMaintenance = 0;
  #backoff: number;
  /** Callers of caughtUp(), each with the pass number current when it asked. */
  #waiters: Array<{ after: number; done: () => void }> = [];
  #passes = 0;
  #poke: (() => void) | null = null;
  #loop: Promise<void> = Promise.resolve();
  #s = { shipped: 0, duplicates: 0, batches: 0, skipped: 0, expired: 0, chainBreaks: 0, restarts: 0, partitionsCreated: 0, partitionsDropped: 0 };
  #lastError: string | null = null;
  #lastNote: string | null = null;

  constructor(options: ShipperOptions) {
    this.#o = { batchSize: 1000, pollMs: 1000, batchDelayMs: 100, maintenanceIntervalMs: 3_600_000, partitionsAhead: 2, maxBackoffMs: 5000, ...options };
    if (!Number.isSafeInteger(this.#o.batchSize) || this.#o.batchSize < 1) throw new TypeError('startShipper: batchSize must be a positive integer');
    const days = this.#o.retentionDays;
    if (days !== undefined && days !== null && (!Number.isSafeInteger(days) || days < 1)) throw new TypeError('startShipper: retentionDays must be a positive integer');
    this.#now = options.now ?? (() => new Date());
    this.#journalId = options.journalId ?? null;
    this.#backoff = Math.min(100, this.#o.maxBackoffMs);
  }

  start(): Shipper {
    this.#loop = this.#run();
    return {
      lag: () => this.#lag(),
      stats: () => ({ journalId: this.#journalId, connected: this.#db !== null, ...this.#s, cursor: this.#cursor, lastError: this.#lastError, lastNote: this.#lastNote }),
      caughtUp: (timeoutMs = 30_000) => this.#caughtUp(timeoutMs),
      stop: async () => {
        this.#controller.abort();
        this.#poke?.();
        await this.#loop;
      },
    };
  }

  #lag(): ShipperLag {
    const records = Math.max(0, this.#headSeq - this.#cursor.seq);
    const seconds = this.#pendingSince === null ? 0 : Math.max(0, (this.#now().getTime() - this.#pendingSince) / 1000);
    return { records, seconds };
  }

  #caughtUp(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      // Only a pass that starts after this call can say so: one already running may have read the
      // journal before the caller's last records were flushed.
      const waiter = {
        after: this.#passes,
        done: (): void => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      this.#waiters.push(waiter);
      this.#poke?.();
    });
  }

  async #run(): Promise<void> {
    const signal = this.#controller.signal;
    const watcher = watchDirectory(this.#o.journalDir, this.#o.pollMs, signal);
    try {
      while (!signal.aborted) {
        watcher.reset();
        let idle = false;
        const pass = ++this.#passes;
        try {
          idle = await this.#pass();
          this.#backoff = Math.min(100, this.#o.maxBackoffMs);
        } catch (error) {
          await this.#failed(error);
          await this.#sleep(this.#backoff, null);
          this.#backoff = Math.min(this.#backoff * 2, this.#o.maxBackoffMs);
          continue;
        }
        if (idle) {
          const ready = this.#waiters.filter((w) => w.after < pass);
          this.#waiters = this.#waiters.filter((w) => w.after >= pass);
          for (const w of ready) w.done();
          await this.#sleep(this.#o.pollMs, watcher.changed());
          await this.#sleep(this.#o.batchDelayMs, null);
        }
      }
    } finally {
      watcher.close();
      await this.#drop();
    }
  }

  /** One step: connect if needed, ship one batch. True when there was nothing to ship. */
  async #pass(): Promise<boolean> {
    this.#journalId ??= await journalIdFor(this.#o.journalDir);
    const head = await readHead(this.#o.journalDir).catch(() => null);
    if (head?.kind === 'ok') this.#headSeq = head.head.seq;
    const db = await this.#connection();
    if (this.#now().getTime() >= this.#nextMaintenance) await this.#maintain(db);
    const batch = await this.#read(this.#cursor);
    if (batch.consumed === 0) {
      this.#pendingSince = null;
      return true;
    }
    this.#pendingSince = pendingTime(batch);
    await this.#ship(db, batch);
    return false;
  }

  async #connection(): Promise<Db> {
    const broken = this.#db?.broken();
    if (this.#db && !broken) return this.#db;
    if (this.#db) await this.#drop();
    const db = await connectDatabase(this.#o.databaseUrl, {
      applicationName: 'aigate-shipper',
      ...(this.#o.connectTimeoutMs !== undefined ? { connectTimeoutMs: this.#o.connectTimeoutMs } : {}),
      ...(this.#o.queryTimeoutMs !== undefined ? { queryTimeoutMs: this.#o.queryTimeoutMs } : {}),
    });
    try {
      if (this.#o.migrate !== false && !this.#migrated) {
        const result = await migrateDatabase(db);
        this.#migrated = true;
        if (result.applied.length > 0) this.#o.log?.info('audit database migrated', { applied: result.applied.join(','), version: result.current });
        if (result.unknown.length > 0) this.#o.log?.warn('audit database has migrations this aigate does not know (a newer version ran)', { versions: result.unknown.join(',') });
      }
      this.#cursor = await readCursor(db, this.#journalId as string);
    } catch (error) {
      await closeDatabase(db);
      throw error;
    }
    this.#db = db;
    this.#nextMaintenance = 0;
    if (this.#lastError !== null) this.#o.log?.info('audit shipper connected', { database: describeDatabaseUrl(this.#o.databaseUrl), seq: this.#cursor.seq });
    this.#lastError = null;
    return db;
  }

  async #read(cursor: JournalCursor): Promise<JournalBatch> {
    try {
      return await readJournalBatch(this.#o.journalDir, cursor, this.#o.batchSize);
    } catch (error) {
      // No directory yet: the journal creates it with its first record.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], end: cursor, notes: [], consumed: 0 };
      throw error;
    }
  }

  async #ship(db: Db, batch: JournalBatch): Promise<void> {
    const keepFrom = this.#o.retentionDays ? retentionStart(this.#o.retentionDays, this.#now()) : null;
    const rows = [];
    let expired = 0;
    for (const line of batch.lines) {
      if (keepFrom !== null && utcDay(new Date(line.record.time)) < keepFrom) expired++;
      else rows.push(recordToRow(line.record, { journalId: this.#journalId as string, seq: line.seq, lineHash: line.hash }));
    }
    const days = new Set(rows.map((r) => utcDay(new Date(r.timestamp))));
    const missing = [...days].filter((d) => !this.#partitions.has(partitionName(d)));
    if (missing.length > 0) {
      this.#s.partitionsCreated += (await ensurePartitions(db, missing)).length;
      for (const d of missing) this.#partitions.add(partitionName(d));
    }
    const outcome = await shipBatch(db, this.#journalId as string, this.#cursor, batch.end, rows, this.#o.beforeCursorUpdate);
    if (outcome.kind === 'moved') {
      this.#o.log?.warn('audit cursor moved under this shipper (another shipper on the same journal?); resuming from the stored cursor', { seq: outcome.cursor.seq });
      this.#cursor = outcome.cursor;
      return;
    }
    this.#cursor = batch.end;
    this.#s.batches++;
    this.#s.shipped += outcome.inserted;
    this.#s.duplicates += rows.length - outcome.inserted;
    this.#s.expired += expired;
    for (const note of batch.notes) {
      if (note.kind === 'skipped') this.#s.skipped++;
      else if (note.kind === 'chain_break') this.#s.chainBreaks++;
      else this.#s.restarts++;
      this.#lastNote = note.message;
      this.#o.log?.warn('audit journal: shipping carries on', { note: note.kind, detail: note.message });
    }
  }

  /** Partitions for today and the next days, and retention, on connect and then on a schedule. */
  async #maintain(db: Db): Promise<void> {
    const today = utcDay(this.#now());
    const ahead = Array.from({ length: this.#o.partitionsAhead + 1 }, (_, i) => addDays(today, i));
    const created = await ensurePartitions(db, ahead);
    this.#s.partitionsCreated += created.length;
    for (const d of ahead) this.#partitions.add(partitionName(d));
    if (this.#o.retentionDays) {
      const dropped = await dropExpiredPartitions(db, this.#o.retentionDays, this.#now());
      for (const name of dropped) this.#partitions.delete(name);
      this.#s.partitionsDropped += dropped.length;
      if (dropped.length > 0) this.#o.log?.info('audit partitions dropped by retention', { partitions: dropped.join(','), retention_days: this.#o.retentionDays });
    }
    this.#nextMaintenance = this.#now().getTime() + this.#o.maintenanceIntervalMs;
  }

  async #failed(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    if (this.#lastError === null) this.#o.log?.warn('audit shipper cannot ship; the journal keeps the records and shipping resumes when possible', { error: message });
    this.#lastError = message;
    this.#partitions.clear();
    await this.#drop();
    // Lag keeps growing while nothing ships: how old is the oldest record still waiting?
    if (this.#pendingSince === null) {
      const next = await this.#read(this.#cursor).catch(() => null);
      if (next && next.lines.length > 0) this.#pendingSince = pendingTime(next);
    }
  }

  async #drop(): Promise<void> {
    const db = this.#db;
    this.#db = null;
    if (db) await closeDatabase(db);
  }

  #sleep(ms: number, change: Promise<void> | null): Promise<void> {
    if (this.#controller.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#poke = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#poke = done;
      void change?.then(done);
    });
  }
}

function pendingTime(batch: JournalBatch): number | null {
  const first = batch.lines[0];
  return first ? Date.parse(first.record.time) : null;
}
