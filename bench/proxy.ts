import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { BENCH_KEY, BENCH_TOKEN, startBenchProxy } from './bench-proxy.ts';
import { percentile, row } from './measure.ts';

/**
 * The proxy's cost, measured in one run: the same load sent straight to a fake provider and through
 * aigate (authenticate from cache → resolve repo → authorize → decide → rate limit → redact with the
 * built-in rules → forward → audit journal with fsync), on loopback, each server in its own
 * process; this one generates load with CONNECTIONS keep-alive connections for BENCH_SECONDS (default 4) per side. Scenarios: (a) 1 KB non-streaming JSON, (b) an agent-sized
 * ~80 KB request, (c) SSE with 50 events (time to first event). Aims on a 2-core machine: (a) at
 * least 0.35 of direct throughput and added p50 under 1 ms at 10 connections; (c) added time to
 * first event under 2 ms. A bare forwarding proxy (no policy, no audit) runs in the same place as a
 * floor: the "bare proxy" column is its ratio to direct, then aigate's throughput relative to it.
 */
const TOKEN = BENCH_TOKEN;
const KEY = BENCH_KEY;

/**
 * Placement, as in reference/packages.md §3: the server being measured gets a core of its own
 * (CPU 1), the load generator and the fake provider behind the proxy share CPU 0; for the direct
 * run a second fake provider takes CPU 1. Without `taskset` (or with one CPU) nothing is pinned.
 */
// Inside the pinned re-run this process sees one CPU, so the decision is passed down.
const PIN = process.env['AIGATE_BENCH_PINNED'] === '1' || (process.env['AIGATE_BENCH_PIN'] !== '0' && availableParallelism() >= 2 && spawnSync('taskset', ['-V']).status === 0);
const role = process.argv[2];
/** Server URL → the pid of the process serving it. */
const pids = new Map<string, number>();

// Children end on SIGTERM with a normal exit (so NODE_OPTIONS=--cpu-prof can write its profile).
if (role !== undefined) process.once('SIGTERM', () => process.exit(0));
if (role === '--provider') {
  const { startFakeProvider } = await import('../test/fake-providers/fake-provider.ts');
  const provider = await startFakeProvider({ keys: [KEY], logLimit: 10, script: (req) => (req.stream ? { textEvents: 50 } : { text: 'ok' }) });
  console.log(`READY ${provider.url}`);
} else if (role === '--bare') {
  console.log(`READY ${await startBareProxy(process.argv[3]!)}`);
} else if (role === '--proxy') {
  console.log(`READY ${(await startBenchProxy(process.argv[3]!)).url}`);
} else if (PIN && process.env['AIGATE_BENCH_PINNED'] !== '1') {
  // The load generator itself runs on CPU 0.
  const run = spawnSync('taskset', ['-c', '0', process.execPath, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, AIGATE_BENCH_PINNED: '1' } });
  process.exit(run.status ?? 1);
} else {
  await main();
}

/**
 * The floor of any forwarding proxy on this machine: node:http in, undici out, the body parsed and
 * re-serialised, no policy, no audit. aigate's cost is what it adds above this.
 */
async function startBareProxy(providerUrl: string): Promise<string> {
  const { createServer } = await import('node:http');
  const pool = new Pool(providerUrl, { connections: 64 });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')));
    const upstream = await pool.request({ path: req.url!.replace(/^\/anthropic/, ''), method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' }, body });
    res.writeHead(upstream.statusCode, { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') });
    for await (const chunk of upstream.body) res.write(chunk);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Starts a role of this script as its own process (pinned to `cpu` when pinning), resolving its URL. */
/** CPU seconds a child has used so far (utime + stime from /proc), or NaN where /proc is missing. */
function cpuSeconds(url: string): number {
  try {
    const fields = readFileSync(`/proc/${pids.get(url)}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

function start(args: readonly string[], cpu: number): Promise<string> {
  const command = PIN ? ['taskset', ['-c', String(cpu), process.execPath, fileURLToPath(import.meta.url), ...args]] as const : [process.execPath, [fileURLToPath(import.meta.url), ...args]] as const;
  const child = spawnChild(command[0], [...command[1]], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => child.kill('SIGTERM'));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const match = /READY (\S+)/.exec(out);
      if (match) {
        // Under taskset the child's pid is taskset's, which exec()s node: the same process.
        pids.set(match[1]!, child.pid!);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}`)));
  });
}

/** An agent-sized Anthropic request: a long system prompt, history and a file read through a tool. */
function agentBody(): string {
  const code = Array.from({ length: 1400 }, (_, i) => `  const value${i} = await request(user, repo); // line ${i}`).join('\n');
  return JSON.stringify({
    model: 'claude-bench',
    max_tokens: 1024,
    system: [{ type: 'text', text: 'You are a coding agent. '.repeat(400) }],
    messages: [
      { role: 'user', content: 'Read src/app.ts and fix the bug.' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/home/dev/app/src/app.ts' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: `${code}\nconst password = "hunter2-not-real";` }] },
    ],
  });
}

interface Sample {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly firstEventP50: number;
}

async function load(origin: string, path: string, body: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Sample> {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const latencies: number[] = [];
  const firstEvents: number[] = [];
  let failed = 0;
  const run = async (deadline: number, record: boolean) => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const response = await pool.request({ path, method: 'POST', headers, body });
      let first = 0;
      for await (const _chunk of response.body) if (first === 0) first = performance.now() - start;
      if (response.statusCode !== 200) failed++;
      if (record) {
        latencies.push(performance.now() - start);
        firstEvents.push(first);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, () => run(performance.now() + 500, false)));
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, () => run(started + seconds * 1000, true)));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  if (failed > 0) throw new Error(`${failed} requests to ${origin}${path} failed`);
  return { rps: latencies.length / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), firstEventP50: percentile(firstEvents, 50) };
}

/** The same load with wrk (C, as in reference/packages.md), when installed: a JS load generator costs about as much CPU per request as the server it measures. */
function wrkLoad(origin: string, path: string, body: string, headers: Record<string, string>, connections: number, seconds: number): Sample {
  const script = join(mkdtempSync(join(tmpdir(), 'aigate-wrk-')), 'post.lua');
  writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\n${Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\n')}\n`);
  const run = spawnSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, `${origin}${path}`], { encoding: 'utf8' });
  const out = run.stdout;
  if (run.status !== 0 || /Non-2xx|Socket errors/.test(out)) throw new Error(`wrk against ${origin}${path} failed:\n${out}${run.stderr}`);
  const ms = (label: string) => {
    const m = new RegExp(`\\s${label}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!m) return NaN;
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]), p50: ms('50'), p99: ms('99'), firstEventP50: NaN };
}

async function main(): Promise<void> {
  const CONNECTIONS = Number(process.env['CONNECTIONS'] ?? 10);
  const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 4);
  const directUrl = await start(['--provider'], 1);
  const behindUrl = await start(['--provider'], 0);
  const proxyUrl = await start(['--proxy', behindUrl], 1);
  const bareUrl = await start(['--bare', behindUrl], 1);
  const providerUrl = directUrl;
  const direct = { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' };
  const proxied = { 'content-type': 'application/json', 'x-api-key': TOKEN, 'anthropic-version': '2023-06-01', 'x-ai-repo': 'team/app' };
  const small = JSON.stringify({ model: 'claude-bench', max_tokens: 16, messages: [{ role: 'user', content: `${'Say hi. '.repeat(110)}` }] });
  const scenarios = [
    { name: '(a) 1 KB JSON', path: '/v1/messages', body: small },
    { name: `(b) agent ${Math.round(agentBody().length / 1024)} KB`, path: '/v1/messages', body: agentBody() },
    { name: '(c) SSE 50 events', path: '/v1/messages', body: JSON.stringify({ ...JSON.parse(small), stream: true }) },
  ];
  console.log(`proxy vs direct on loopback, ${CONNECTIONS} connections, ${SECONDS} s per side (node ${process.version}); ${PIN ? 'pinned: measured server on CPU 1, load and upstream on CPU 0' : 'not pinned'}`);
  const widths = [20, 11, 11, 9, 13, 15, 15];
  console.log(row(['scenario', 'direct r/s', 'aigate r/s', 'ratio', 'bare proxy', 'added p50 ms', 'added p99 ms'], widths));
  const only = process.env['SCENARIOS'];
  const cpu: string[] = [];
  const WRK = process.env['BENCH_LOADGEN'] !== 'js' && spawnSync('wrk', ['--version']).error === undefined;
  console.log(`load generator: ${WRK ? 'wrk' : 'undici (set BENCH_LOADGEN=js to force; apt-get install wrk for the C one)'}`);
  const measure = (origin: string, path: string, body: string, headers: Record<string, string>) => (WRK ? Promise.resolve(wrkLoad(origin, path, body, headers, CONNECTIONS, SECONDS)) : load(origin, path, body, headers, CONNECTIONS, SECONDS));
  for (const s of scenarios.filter((x) => !only || only.includes(x.name[1]!))) {
    const d = await measure(providerUrl, s.path, s.body, direct);
    const cpuBefore = cpuSeconds(proxyUrl);
    const started = performance.now();
    const a = await measure(proxyUrl, `/anthropic${s.path}`, s.body, proxied);
    const busy = (cpuSeconds(proxyUrl) - cpuBefore) / ((performance.now() - started) / 1000);
    const b = await measure(bareUrl, `/anthropic${s.path}`, s.body, proxied);
    cpu.push(`${s.name}: aigate used ${(busy * 100).toFixed(0)}% of a core, ${((busy / a.rps) * 1e6).toFixed(0)} µs CPU per request`);
    console.log(row([s.name, d.rps.toFixed(0), a.rps.toFixed(0), (a.rps / d.rps).toFixed(2), `${(b.rps / d.rps).toFixed(2)} (${(a.rps / b.rps).toFixed(2)}x)`, (a.p50 - d.p50).toFixed(2), (a.p99 - d.p99).toFixed(2)], widths));
  }
  for (const line of cpu) console.log(line);
  // Time to first event, measured by this process (wrk cannot see events): one connection, so
  // queueing does not hide the proxy's own cost, and then CONNECTIONS.
  for (const n of [1, CONNECTIONS]) {
    const d1 = await load(providerUrl, '/v1/messages', scenarios[2]!.body, direct, n, 2);
    const a1 = await load(proxyUrl, '/anthropic/v1/messages', scenarios[2]!.body, proxied, n, 2);
    console.log(`SSE, ${n} connection(s), undici client: added p50 ${(a1.p50 - d1.p50).toFixed(2)} ms, added time to first event ${(a1.firstEventP50 - d1.firstEventP50).toFixed(2)} ms`);
  }
  process.exit(0);
}
