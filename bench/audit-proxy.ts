// What shipping the audit journal to PostgreSQL costs the proxy (docs/audit.md, "Shipping to PostgreSQL"):
//   node bench/audit-proxy.ts [--seconds 3] [--rounds 6] [--warmup 3] [--connections 10]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust); creates a database of its own with a
// random name and drops it at the end. Three proxies run side by side in worker threads, identical
// except that one has `auditDatabase` (its shipper thread copies the journal to PostgreSQL); the two
// without give the run's noise floor. A fake provider runs in a fourth thread. This thread sends the
// same load (1 KB non-streaming Anthropic requests) to each in turn, rotating the order every round
// so drift favours none, and prints req/s, the ratio with / without shipping (aim: at least 0.90),
// records shipped per second, the shipper's lag, and CPU per request both ways (steadier than req/s
// on a busy machine), with the CPU the PostgreSQL backends spent on top.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Client } from 'pg';
import { Pool, request } from 'undici';
import { median, percentile, row } from './measure.ts';
import { BENCH_KEY, BENCH_TOKEN, startBenchProxy } from './bench-proxy.ts';

const TOKEN = BENCH_TOKEN;
const KEY = BENCH_KEY;
const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const SIDES = ['plain', 'shipping', 'control'] as const;
type Side = (typeof SIDES)[number];
const LABELS: Record<Side, string> = { plain: 'journal only', shipping: 'journal + PostgreSQL', control: 'journal only (second instance)' };
/** The proxies' scratch directories, removed at the end. */
const scratch: string[] = [];

if (!isMainThread) {
  const data = workerData as { role: string; providerUrl?: string; databaseUrl?: string };
  if (data.role === 'provider') {
    const { startFakeProvider } = await import('../test/fake-providers/fake-provider.ts');
    parentPort!.postMessage({ url: (await startFakeProvider({ keys: [KEY], logLimit: 10, script: () => ({ text: 'ok' }) })).url });
  } else {
    parentPort!.postMessage(await startProxy(data.providerUrl ?? '', data.databaseUrl));
  }
} else {
  await main();
}

/** bench/proxy.ts's proxy (local bundle, fsync'd journal), plus a shipper when `databaseUrl` is given. */
function startProxy(providerUrl: string, databaseUrl: string | undefined): Promise<Started> {
  // The defaults of audit.ship_batch_size and audit.ship_interval (dataplane/config/load-shared.ts).
  return startBenchProxy(providerUrl, databaseUrl ? { auditDatabase: { url: databaseUrl, retentionDays: undefined, batchSize: 1000, pollMs: 1000 } } : {});
}

interface Started {
  readonly url: string;
  /** The proxy's scratch directory (journal, state), removed at the end. */
  readonly dir?: string;
}

async function spawn(role: string, data: Record<string, unknown> = {}): Promise<string> {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role, ...data } });
  worker.unref();
  const started = await new Promise<Started>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  if (started.dir) scratch.push(started.dir);
  return started.url;
}

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: ADMIN });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

async function countRows(url: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  const result = await c.query<{ n: string }>('SELECT count(*) AS n FROM ai_requests').finally(() => c.end());
  return Number(result.rows[0]?.n ?? 0);
}

/** The proxy's shipper gauges, from its own GET /metrics. */
async function shipperMetrics(proxyUrl: string): Promise<{ lagRecords: number; lagSeconds: number; shipped: number }> {
  const text = await (await request(`${proxyUrl}/metrics`)).body.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { lagRecords: value('aigate_shipper_lag_records'), lagSeconds: value('aigate_shipper_lag_seconds'), shipped: value('aigate_shipper_shipped_records_total') };
}

/**
 * CPU milliseconds used so far by the PostgreSQL backends serving database `name` (Linux /proc; their
 * command line names the database; 100 ticks a second). Shared processes (WAL writer, checkpointer)
 * are not counted. NaN where /proc is missing.
 */
function backendCpuMs(name: string): number {
  let ms = 0;
  try {
    for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(` ${name} `)) continue;
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
        ms += (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        // The process ended while being read.
      }
    }
  } catch {
    return NaN;
  }
  return ms;
}

/** `connections` keep-alive connections for `seconds` after a 0.5 s warm-up; `sent` counts both (all audited). */
async function load(origin: string, body: string, headers: Record<string, string>, connections: number, seconds: number): Promise<{ rps: number; p50: number; p99: number; sent: number }> {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  let sent = 0;
  let failed = 0;
  const run = async (deadline: number, record: boolean) => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const response = await pool.request({ path: '/anthropic/v1/messages', method: 'POST', headers, body });
      await response.body.dump();
      sent++;
      if (response.statusCode !== 200) failed++;
      if (record) latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: connections }, () => run(performance.now() + 500, false)));
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, () => run(started + seconds * 1000, true)));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  if (failed > 0) throw new Error(`${failed} requests to ${origin} failed`);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), sent };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' } } });
  const SECONDS = Number(values.seconds ?? 3);
  const ROUNDS = Number(values.rounds ?? 6);
  const WARMUP = Number(values.warmup ?? 3);
  const CONNECTIONS = Number(values.connections ?? 10);
  const load0 = loadavg()[0] ?? 0;
  const name = `aigate_bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const databaseUrl = `postgres://postgres@127.0.0.1:5432/${name}`;
  try {
    const providerUrl = await spawn('provider');
    // Two proxies without shipping: their ratio is the noise floor of this run (two instances of the
    // same thing differ by JIT luck, thread placement and whatever else the machine runs).
    const urls: Record<Side, string> = { plain: await spawn('proxy', { providerUrl }), shipping: await spawn('proxy', { providerUrl, databaseUrl }), control: await spawn('proxy', { providerUrl }) };
    const headers = { 'content-type': 'application/json', 'x-api-key': TOKEN, 'anthropic-version': '2023-06-01', 'x-ai-repo': 'team/app' };
    const body = JSON.stringify({ model: 'claude-bench', max_tokens: 16, messages: [{ role: 'user', content: 'Say hi. '.repeat(110) }] });
    console.log(`proxy with and without PostgreSQL shipping, 1 KB JSON, ${CONNECTIONS} connections, ${SECONDS} s per side, ${ROUNDS} rounds after ${WARMUP} s of warm-up each (node ${process.version})`);
    const widths = [7, 34, 10, 10, 26];
    console.log(row(['round', 'proxy', 'req/s', 'p50 ms', 'shipper lag when load ends'], widths));
    let shippedRequests = 0;
    // Every proxy warms up first (JIT, connection pools, the shipper's migrations and first batches).
    for (const side of SIDES) {
      const sent = (await load(urls[side], body, headers, CONNECTIONS, WARMUP)).sent;
      if (side === 'shipping') shippedRequests += sent;
    }
    const rps: Record<Side, number[]> = { plain: [], shipping: [], control: [] };
    const ratios: number[] = [];
    const noise: number[] = [];
    const shipRates: number[] = [];
    const pgCpu = { ms: 0, records: 0 };
    // CPU of this whole process (load generator, provider, the proxy under load, its shipper thread).
    const cpu: Record<Side, { us: number; requests: number }> = { plain: { us: 0, requests: 0 }, shipping: { us: 0, requests: 0 }, control: { us: 0, requests: 0 } };
    let lastLag = { lagRecords: 0, lagSeconds: 0, shipped: 0 };
    for (let round = 1; round <= ROUNDS; round++) {
      // The order rotates every round (each proxy first, second and last equally often in a multiple of
      // three rounds), so drift in the machine's load favours no proxy.
      const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length] as Side);
      for (const side of order) {
        const before = side === 'shipping' ? await shipperMetrics(urls.shipping) : undefined;
        const cpuBefore = side === 'shipping' ? backendCpuMs(name) : 0;
        const started = performance.now();
        const ownCpu = process.cpuUsage();
        const sample = await load(urls[side], body, headers, CONNECTIONS, SECONDS);
        const used = process.cpuUsage(ownCpu);
        cpu[side].us += used.user + used.system;
        cpu[side].requests += sample.sent;
        rps[side].push(sample.rps);
        let lag = '';
        if (side === 'shipping') {
          shippedRequests += sample.sent;
          lastLag = await shipperMetrics(urls.shipping);
          const shipped = lastLag.shipped - (before?.shipped ?? 0);
          shipRates.push(shipped / ((performance.now() - started) / 1000));
          pgCpu.ms += backendCpuMs(name) - cpuBefore;
          pgCpu.records += shipped;
          lag = `${lastLag.lagRecords} records / ${lastLag.lagSeconds.toFixed(2)} s`;
        }
        console.log(row([round, LABELS[side], sample.rps.toFixed(0), sample.p50.toFixed(2), lag], widths));
      }
      const [p, s, c] = SIDES.map((side) => rps[side].at(-1) ?? NaN) as [number, number, number];
      ratios.push(s / ((p + c) / 2));
      noise.push(c / p);
    }
    // Caught up = every request sent to the shipping proxy is a row (the journal's own write queue included).
    const stopped = performance.now();
    let rows = await countRows(databaseUrl);
    while (rows < shippedRequests && performance.now() - stopped < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await countRows(databaseUrl);
    }
    const catchUpMs = performance.now() - stopped;
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`median req/s: without shipping ${median(rps.plain).toFixed(0)} and ${median(rps.control).toFixed(0)}, with PostgreSQL shipping ${median(rps.shipping).toFixed(0)}`);
    console.log(`ratio with / without shipping: ${median(ratios).toFixed(2)} (rounds: ${list(ratios)}; aim ≥ 0.90, i.e. shipping costs under 10%)`);
    console.log(`noise floor, second / first proxy without shipping: ${median(noise).toFixed(2)} (rounds: ${list(noise)})`);
    console.log(`shipped while loaded: median ${Math.round(median(shipRates))} records/s (rows inserted during a shipping round / its length)`);
    // CPU per request is far steadier than req/s on a busy machine: when the cores are the limit,
    // throughput goes as its inverse.
    const perRequest = (side: Side) => cpu[side].us / cpu[side].requests;
    const without = (perRequest('plain') + perRequest('control')) / 2;
    const pgPerRecord = (pgCpu.ms * 1000) / pgCpu.records;
    console.log(`CPU per request in this process: without shipping ${without.toFixed(0)} µs, with shipping ${perRequest('shipping').toFixed(0)} µs; PostgreSQL backend ${pgPerRecord.toFixed(0)} µs per record shipped`);
    console.log(`CPU-bound ratio with / without shipping: ${(without / perRequest('shipping')).toFixed(2)} with PostgreSQL on another host, ${(without / (perRequest('shipping') + pgPerRecord)).toFixed(2)} with it on the same cores`);
    console.log(`shipper lag when the last round ended: ${lastLag.lagRecords} records / ${lastLag.lagSeconds.toFixed(2)} s; every record in PostgreSQL ${(catchUpMs / 1000).toFixed(2)} s after the load stopped`);
    console.log(`ai_requests rows: ${rows} for ${shippedRequests} requests sent to the shipping proxy${rows === shippedRequests ? '' : ' — MISMATCH'}`);
    // PostgreSQL and any other work share the cores with the proxies: a busy machine blurs the ratio.
    console.log(`load average (1 min) at start ${load0.toFixed(1)}, at end ${(loadavg()[0] ?? 0).toFixed(1)}`);
  } finally {
    // FORCE: the shipper thread still holds a connection (the workers end with this process).
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}
