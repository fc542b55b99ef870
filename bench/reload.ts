import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, request } from 'undici';
import { benchPayload, benchProjects, benchSigner, HOT, startWorld, TOKEN } from './dataplane-world.ts';
import { percentile } from './measure.ts';

/**
 * Bundle hot-reload under load: `aigate serve` (its own process) enforces a 10,000-project signed
 * bundle from a watched file while CLIENTS keep-alive clients drive GET /api/context on loopback;
 * SWAPS times a new 10,000-project bundle (an org-level change, so every rule set is new) is renamed
 * over the file. Prints each swap's activation time (file renamed → bundle enforced, from /health's
 * loaded_at) and the failed and non-200 requests around it. Aim: zero failed. The baseline is the
 * latency of the same load between swaps, measured in the same run.
 *
 *   node bench/reload.ts            (PROJECTS=10000 CLIENTS=20 SWAPS=5 GAP_MS=3000)
 */
const N = Number(process.env['PROJECTS'] ?? 10_000);
const CLIENTS = Number(process.env['CLIENTS'] ?? 20);
const SWAPS = Number(process.env['SWAPS'] ?? 5);
const GAP_MS = Number(process.env['GAP_MS'] ?? 3000);
/** After activation, requests in this tail still count towards the swap (stragglers, lazy rule-set compiles). */
const TAIL_MS = 250;

const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  readonly start: number;
  readonly end: number;
  readonly status: number;
  readonly serial: number | null;
}

const dir = mkdtempSync(join(tmpdir(), 'aigate-bench-reload-'));
const signer = benchSigner();
const t0 = performance.now();
const projects = benchProjects(N);
const base = Date.now();
// Compiled and signed before the load starts, so the bench process is idle while aigate swaps.
const envelopes = Array.from({ length: SWAPS + 1 }, (_, k) => signer.sign(benchPayload(projects, base + k, k === 0 ? undefined : `bench-swap-${k}/`)));
console.log(`bundles                ${SWAPS + 1} × ${N} projects, ${(Buffer.byteLength(envelopes[0] ?? '') / 1e6).toFixed(1)} MB each, compiled and signed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
writeFileSync(join(dir, 'bundle.json'), envelopes[0] ?? '');

const world = await startWorld(dir, signer);
console.log(`aigate serve start     ${world.startMs.toFixed(0)} ms to listening, first ${N}-project bundle loaded`);

const pool = new Pool(world.aigateUrl, { connections: CLIENTS, pipelining: 1, keepAliveTimeout: 60_000 });
const samples: Sample[] = [];
let errors = 0;
const errorKinds = new Map<string, number>();
let running = true;

async function client(c: number): Promise<void> {
  for (let i = c; running; i += CLIENTS) {
    const project = HOT[i % HOT.length];
    const file = i % 2 === 0 ? 'src/main.ts' : 'config.py';
    const start = wall();
    try {
      const r = await pool.request({ method: 'GET', path: `/api/context?repo=${encodeURIComponent(project?.path ?? '')}&file=${file}&provider=anthropic`, headers: { authorization: `Bearer ${TOKEN}` } });
      await r.body.text();
      const serial = r.headers['x-aigate-bundle-serial'];
      samples.push({ start, end: wall(), status: r.statusCode, serial: typeof serial === 'string' ? Number(serial) : null });
    } catch (error) {
      errors++;
      const kind = error instanceof Error ? (error as { code?: string }).code ?? error.name : 'error';
      errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
      samples.push({ start, end: wall(), status: 0, serial: null });
    }
  }
}

async function health(): Promise<{ serial: number | null; loadedAt: number }> {
  const r = await request(`${world.aigateUrl}/health`);
  const body = (await r.body.json()) as { bundle: { serial: number | null; loaded_at: string | null } };
  return { serial: body.bundle.serial, loadedAt: body.bundle.loaded_at ? Date.parse(body.bundle.loaded_at) : NaN };
}

const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
await sleep(2000); // warm-up: connections open, caches filled, hot rule sets compiled
const measuredFrom = wall();
const swaps: { serial: number; written: number; activationMs: number; seenMs: number }[] = [];
for (let k = 1; k <= SWAPS; k++) {
  await sleep(GAP_MS);
  const serial = base + k;
  writeFileSync(join(dir, 'bundle.json.tmp'), envelopes[k] ?? '');
  const written = wall();
  // A rename, as the compiler publishes: the watcher sees one complete file, never a half-written one.
  renameSync(join(dir, 'bundle.json.tmp'), join(dir, 'bundle.json'));
  for (let tries = 0; ; tries++) {
    const h = await health();
    if (h.serial === serial) {
      swaps.push({ serial, written, activationMs: h.loadedAt - written, seenMs: wall() - written });
      break;
    }
    if (tries > 3000) throw new Error(`bundle serial ${serial} never activated:\n${world.aigate.output().slice(-2000)}`);
    await sleep(10);
  }
}
await sleep(GAP_MS);
running = false;
await Promise.all(clients);
await pool.close();
await world.stop();
rmSync(dir, { recursive: true, force: true });

const measured = samples.filter((s) => s.start >= measuredFrom);
const windows = swaps.map((s) => ({ ...s, from: s.written, to: s.written + s.activationMs + TAIL_MS }));
const inWindow = (s: Sample, w: (typeof windows)[number]) => s.end >= w.from && s.start <= w.to;
const steady = measured.filter((s) => !windows.some((w) => inWindow(s, w)));
const latency = (list: readonly Sample[]) => list.filter((s) => s.status !== 0).map((s) => s.end - s.start);
const seconds = (wall() - measuredFrom) / 1000;
const steadyLat = latency(steady);
console.log(`load                   ${CLIENTS} keep-alive clients, GET /api/context on loopback, ${measured.length} requests in ${seconds.toFixed(1)} s (${(measured.length / seconds).toFixed(0)} req/s)`);
console.log(`steady (between swaps) ${steady.length} requests, p50 ${percentile(steadyLat, 50).toFixed(2)} ms, p99 ${percentile(steadyLat, 99).toFixed(2)} ms, max ${Math.max(...steadyLat).toFixed(1)} ms`);
let stale = 0;
for (const [i, w] of windows.entries()) {
  const during = measured.filter((s) => inWindow(s, w));
  const lat = latency(during);
  const failed = during.filter((s) => s.status === 0).length;
  const non200 = during.filter((s) => s.status !== 0 && s.status !== 200).length;
  // After activation every response must carry the new serial: one swap, no mixed state.
  stale += measured.filter((s) => s.start > w.written + w.activationMs + 5 && s.serial !== null && s.serial < w.serial).length;
  console.log(`swap ${i + 1}                 activation ${w.activationMs.toFixed(0)} ms (visible on /health after ${w.seenMs.toFixed(0)} ms); around it ${during.length} requests, ${failed} failed, ${non200} non-200, p99 ${percentile(lat, 99).toFixed(1)} ms, max ${Math.max(...lat).toFixed(1)} ms`);
}
const failed = measured.filter((s) => s.status === 0).length;
const non200 = measured.filter((s) => s.status !== 0 && s.status !== 200).length;
const swapLat = latency(measured.filter((s) => windows.some((w) => inWindow(s, w))));
const activations = swaps.map((s) => s.activationMs);
console.log(`activation             median ${percentile(activations, 50).toFixed(0)} ms, max ${Math.max(...activations).toFixed(0)} ms for a ${N}-project bundle`);
console.log(`total                  ${measured.length} requests: ${failed} failed, ${non200} non-200 (aim: 0 failed)${errorKinds.size ? ` [${[...errorKinds].map(([k, n]) => `${k} ${n}`).join(', ')}]` : ''}; ${stale} answered with an older serial after a swap`);
console.log(`ratio                  p99 around swaps / p99 between swaps = ${(percentile(swapLat, 99) / percentile(steadyLat, 99)).toFixed(1)}x`);
if (errors > 0 || failed > 0 || non200 > 0 || stale > 0) process.exitCode = 1;
