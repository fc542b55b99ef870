import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { benchPayload, benchProjects, benchSigner, HOT, startWorld, TOKEN } from './dataplane-world.ts';
import { percentile, row } from './measure.ts';

/**
 * What aigate adds to a file fetch: GET /api/context through `aigate serve` against the same raw
 * file fetched straight from the (fake) GitLab, in the same run, both over keep-alive on loopback.
 * aigate authenticates (cached), resolves and authorizes the project (cached), decides, fetches the
 * file with the user's token (one GET: the size check uses its X-Gitlab-Size header, before the
 * body) and redacts it. Both sides run in alternating blocks so drift hits them equally.
 *
 *   node bench/context.ts           (ROUNDS=10 BLOCK=200, CONCURRENCY=1 and 8)
 */
const ROUNDS = Number(process.env['ROUNDS'] ?? 10);
const BLOCK = Number(process.env['BLOCK'] ?? 200);

const dir = mkdtempSync(join(tmpdir(), 'aigate-bench-context-'));
const signer = benchSigner();
writeFileSync(join(dir, 'bundle.json'), signer.sign(benchPayload(benchProjects(100), Date.now())));
const world = await startWorld(dir, signer);

const FILES = ['src/main.ts', 'config.py'];
const target = (i: number) => ({ project: HOT[i % HOT.length] ?? { id: 0, path: '' }, file: FILES[Math.floor(i / HOT.length) % FILES.length] ?? '' });
const viaAigate = (i: number) => {
  const { project, file } = target(i);
  return `/api/context?repo=${encodeURIComponent(project.path)}&file=${encodeURIComponent(file)}&provider=anthropic`;
};
const direct = (i: number) => {
  const { project, file } = target(i);
  return `/api/v4/projects/${project.id}/repository/files/${encodeURIComponent(file)}/raw?ref=main`;
};

async function block(pool: Pool, path: (i: number) => string, count: number, concurrency: number, out: number[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const start = performance.now();
        const r = await pool.request({ method: 'GET', path: path(i), headers: { authorization: `Bearer ${TOKEN}` } });
        await r.body.text();
        if (r.statusCode !== 200) throw new Error(`${path(i)} answered ${r.statusCode}`);
        out.push(performance.now() - start);
      }
    }),
  );
}

async function compare(concurrency: number): Promise<void> {
  const gitlab = new Pool(world.gitlabUrl, { connections: concurrency, keepAliveTimeout: 60_000 });
  const aigate = new Pool(world.aigateUrl, { connections: concurrency, keepAliveTimeout: 60_000 });
  // Warm-up: connections, aigate's token and project caches, the rule set, V8's JIT.
  await block(gitlab, direct, 200, concurrency, []);
  await block(aigate, viaAigate, 200, concurrency, []);
  const d: number[] = [];
  const a: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await block(gitlab, direct, BLOCK, concurrency, d);
    await block(aigate, viaAigate, BLOCK, concurrency, a);
  }
  await gitlab.close();
  await aigate.close();
  const widths = [30, 10, 10];
  console.log(`\nconcurrency ${concurrency}: ${d.length} requests each`);
  console.log(row(['', 'p50 ms', 'p99 ms'], widths));
  console.log(row(['GitLab raw file (direct)', percentile(d, 50).toFixed(2), percentile(d, 99).toFixed(2)], widths));
  console.log(row(['aigate /api/context', percentile(a, 50).toFixed(2), percentile(a, 99).toFixed(2)], widths));
  console.log(row(['added by aigate', (percentile(a, 50) - percentile(d, 50)).toFixed(2), (percentile(a, 99) - percentile(d, 99)).toFixed(2)], widths));
  console.log(row(['ratio aigate / direct', `${(percentile(a, 50) / percentile(d, 50)).toFixed(2)}x`, `${(percentile(a, 99) / percentile(d, 99)).toFixed(2)}x`], widths));
}

console.log('GET /api/context through aigate vs. the same raw file from the fake GitLab (files: 4 KB source; config with one redaction)');
try {
  await compare(1);
  await compare(8);
} finally {
  await world.stop();
  rmSync(dir, { recursive: true, force: true });
}
