// Audit shipping to PostgreSQL (numbers in docs/audit.md, "Shipping to PostgreSQL"):
//   node bench/audit.ts [--records 200000] [--batch 1000] [--append 50000] [--rounds 2]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust); uses a database of its own, dropped at
// the end. Part 1 ships a backlog of generated journal lines and prints records/s and the lag seen.
// Part 2 measures journal append throughput (what the proxy's request path feeds) with no shipper,
// with a shipper on the same thread and with one in a worker thread, alternating, and prints ratios. The proxy-level figure
// (requests/s through the proxy with and without shipping, same run) is bench/audit-proxy.ts.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { auditRecord } from '../dataplane/audit/audit-fixtures.ts';
import type { AuditRecordV1 } from '../dataplane/audit/audit-record.ts';
import { openJournal } from '../dataplane/audit/journal.ts';
import { startShipper, type Shipper } from '../dataplane/audit-db/shipper.ts';
import { startShipperThread } from '../dataplane/audit-db/shipper-thread.ts';
import { median } from './measure.ts';

const { values } = parseArgs({ options: { records: { type: 'string' }, batch: { type: 'string' }, append: { type: 'string' }, rounds: { type: 'string' } } });
const RECORDS = Number(values.records ?? 200_000);
const BATCH = Number(values.batch ?? 1000);
const APPEND = Number(values.append ?? 50_000);
const ROUNDS = Number(values.rounds ?? 2);
const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: ADMIN });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

async function database(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `aigate_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return { url: `postgres://postgres@127.0.0.1:5432/${name}`, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A realistic mix: a few hundred users and repositories, three providers, some denials and redactions. */
function record(n: number, time: number): AuditRecordV1 {
  const deny = n % 17 === 0;
  return auditRecord(n, {
    request_id: `${randomBytes(8).toString('hex')}-${n}`,
    time: new Date(time).toISOString(),
    user: { id: n % 300, username: `user${n % 300}`, email: `user${n % 300}@example.com` },
    repo: { id: n % 500, path: `group${n % 20}/project${n % 500}` },
    provider: (['anthropic', 'openai', 'gitlab-duo'] as const)[n % 3],
    decision: deny ? 'deny' : 'allow',
    reason: deny ? 'provider_not_allowed' : null,
    status: deny ? 403 : 200,
    redactions: n % 11 === 0 ? { aws_access_key: 1 } : {},
    client: { ip: `10.0.${n % 250}.${n % 200}`, user_agent: 'claude-cli/1.0.0 (external, cli)' },
  });
}

/** Appends `count` records the way a busy proxy does: in bursts, yielding to the event loop between them. */
async function appendLoad(dir: string, count: number, fsync: boolean, from = 0): Promise<number> {
  const journal = await openJournal({ dir, fsync });
  const start = performance.now();
  const now = Date.now();
  for (let i = 0; i < count; i++) {
    const r = record(from + i, now - 1000 + (i % 1000));
    // The queue is bounded (maxPending): when it is full, wait for the disk instead of dropping.
    while (!journal.append(r)) await journal.flush();
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  await journal.flush();
  const ms = performance.now() - start;
  await journal.close();
  return ms;
}

async function waitShipped(shipper: Shipper, timeoutMs: number): Promise<{ ms: number; maxLag: number; maxLagSeconds: number }> {
  const start = performance.now();
  let maxLag = 0;
  let maxLagSeconds = 0;
  const sampler = setInterval(() => {
    maxLag = Math.max(maxLag, shipper.lag().records);
    maxLagSeconds = Math.max(maxLagSeconds, shipper.lag().seconds);
  }, 100);
  const ok = await shipper.caughtUp(timeoutMs);
  clearInterval(sampler);
  if (!ok) throw new Error(`shipper did not catch up: ${JSON.stringify(shipper.stats())}`);
  return { ms: performance.now() - start, maxLag, maxLagSeconds };
}

const scratch: string[] = [];
const dirOf = () => {
  const d = mkdtempSync(join(tmpdir(), 'aigate-audit-bench-'));
  scratch.push(d);
  return d;
};
const dbs: Array<() => Promise<void>> = [];

try {
  // Part 1: a backlog, as after an outage or when shipping is first switched on.
  const backlogDir = dirOf();
  const writeMs = await appendLoad(backlogDir, RECORDS, false);
  const db1 = await database();
  dbs.push(db1.drop);
  const cpu = process.cpuUsage();
  const shipper = startShipper({ journalDir: backlogDir, databaseUrl: db1.url, batchSize: BATCH, pollMs: 200 });
  const shipped = await waitShipped(shipper, 170_000);
  const used = process.cpuUsage(cpu);
  const stats = shipper.stats();
  await shipper.stop();
  console.log(`backlog: ${RECORDS} records written in ${writeMs.toFixed(0)} ms; shipped in ${shipped.ms.toFixed(0)} ms = ${Math.round(RECORDS / (shipped.ms / 1000))} records/s (batch ${BATCH}, ${stats.batches} transactions, ${stats.shipped} rows, ${stats.duplicates} duplicates)`);
  // What shipping costs the proxy's process (PostgreSQL's own work is on the database host).
  console.log(`shipper CPU in this process: ${((used.user + used.system) / RECORDS).toFixed(1)} µs per record (user ${(used.user / 1e6).toFixed(2)} s, system ${(used.system / 1e6).toFixed(2)} s)`);

  // Part 2: sustained appends with no shipper, a shipper in the same thread, a shipper in a worker thread.
  const db2 = await database();
  dbs.push(db2.drop);
  const modes = ['none', 'in-process', 'thread'] as const;
  const times: Record<(typeof modes)[number], number[]> = { none: [], 'in-process': [], thread: [] };
  const lags: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of modes) {
      const dir = dirOf();
      const options = { journalDir: dir, databaseUrl: db2.url, batchSize: BATCH, pollMs: 200 };
      const s = mode === 'none' ? null : mode === 'thread' ? startShipperThread(options) : startShipper(options);
      times[mode].push(await appendLoad(dir, APPEND, true, (round * modes.length + modes.indexOf(mode)) * APPEND));
      if (s) {
        const lag = s.lag();
        const rest = await waitShipped(s, 120_000);
        lags.push(`round ${round + 1} ${mode}: lag when appends ended ${lag.records} records / ${lag.seconds.toFixed(2)} s, caught up ${rest.ms.toFixed(0)} ms later`);
        await s.stop();
      }
    }
  }
  const rate = (mode: (typeof modes)[number]) => APPEND / (median(times[mode]) / 1000);
  console.log(`append with fsync, ${APPEND} records, median of ${ROUNDS} (records/s): no shipper ${Math.round(rate('none'))}, shipper in-process ${Math.round(rate('in-process'))}, shipper thread ${Math.round(rate('thread'))}`);
  for (const l of lags) console.log(`  ${l}`);
  console.log(`ratio with / without shipping (throughput): in-process ${(rate('in-process') / rate('none')).toFixed(2)}, worker thread ${(rate('thread') / rate('none')).toFixed(2)} (aim ≥ 0.90)`);
} finally {
  for (const drop of dbs) await drop().catch(() => undefined);
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
}
