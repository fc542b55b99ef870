import { closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { bufferIo } from '../cli/io.ts';
import { dryRunCommand } from '../compiler/dry-run/dry-run-command.ts';
import { listFiles } from '../compiler/dry-run/list-files.ts';
import { autoJobs } from '../compiler/dry-run/scan-pool.ts';
import { BUILTIN_RULES } from '../policy/builtin-rules/all-builtin-rules.ts';
import { codeCorpus } from './corpus.ts';
import { median } from './measure.ts';

/**
 * `aigate dry-run scan` of a generated tree (default 50,000 files, ~500 MB of code-like text, a
 * planted secret in 1% of the files, 1% excluded) against just listing and reading every file with
 * the same concurrency (as many threads as the scan, each reading what it is given), in the same
 * run. Aim: scan within 3x of reading. FILES and TOTAL_MB shrink it for a CI smoke run; ROUNDS sets
 * the repetitions (median), JOBS the threads of both sides (default: what the scan picks).
 */
if (!isMainThread) {
  // Baseline reader: the scan's own read sequence (lstat, open, read the size, close), nothing else.
  const { root, paths } = workerData as { root: string; paths: string[] };
  let bytes = 0;
  for (const path of paths) {
    const file = join(root, path);
    const size = lstatSync(file).size;
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const buffer = Buffer.allocUnsafe(size);
    bytes += readSync(fd, buffer, 0, size, 0);
    closeSync(fd);
  }
  parentPort?.postMessage(bytes);
} else {
  await main();
}

async function main(): Promise<void> {
  const FILES = Number(process.env['FILES'] ?? 50_000);
  const TOTAL_MB = Number(process.env['TOTAL_MB'] ?? 500);
  const ROUNDS = Number(process.env['ROUNDS'] ?? 2);
  const jobs = process.env['JOBS'] ? Number(process.env['JOBS']) : autoJobs(FILES);
  const fileBytes = Math.max(64, Math.floor((TOTAL_MB * 1e6) / FILES));
  const secrets = BUILTIN_RULES.filter((r) => !r.id.startsWith('generic')).map((r) => r.examples.positive[0]?.text ?? '').filter(Boolean);
  // About 2,000 distinct bodies from the shared code-like corpus, reused round-robin so that writing
  // 500 MB stays fast; every 100th file also gets a planted secret, every 100th another is excluded.
  const pool = codeCorpus(Math.min(TOTAL_MB * 1e6, 2000 * fileBytes), fileBytes, [], 1_000_000).files.map((f) => Buffer.from(f));
  const root = mkdtempSync(join(tmpdir(), 'aigate-bench-scan-'));
  try {
    const started = performance.now();
    const tree = join(root, 'tree');
    mkdirSync(tree);
    writeFileSync(join(tree, '.aiconfig'), 'ai_access:\n  enabled: true\n  exclude: ["*.sql"]\n');
    writeFileSync(join(root, 'ai-policy.yml'), 'providers:\n  anthropic: { enabled: true }\nmax_file_size: 1mb\n');
    let planted = 0;
    let bytes = 0;
    let next = 0;
    const made = new Set<string>();
    const write = async () => {
      while (next < FILES) {
        const i = next++;
        const dir = join(tree, `pkg${i % 50}`, `mod${Math.floor(i / 50) % 100}`);
        if (!made.has(dir)) {
          made.add(dir);
          mkdirSync(dir, { recursive: true });
        }
        let body = pool[i % pool.length] as Buffer;
        if (i % 100 === 7) body = Buffer.concat([body, Buffer.from(`\n  token = "${secrets[planted++ % secrets.length]}"\n`)]);
        bytes += body.length;
        await writeFile(join(dir, `file${i}.${i % 100 === 3 ? 'sql' : 'ts'}`), body);
      }
    };
    await Promise.all(Array.from({ length: 32 }, write));
    console.log(`tree: ${FILES} files, ${(bytes / 1e6).toFixed(0)} MB, ${planted} planted secrets, generated in ${((performance.now() - started) / 1000).toFixed(1)} s; ${jobs} threads`);

    const readAll = async () => {
      const list = await listFiles(tree);
      const slices = Array.from({ length: jobs }, (_, w) => list.paths.filter((_, i) => i % jobs === w));
      const read = await Promise.all(slices.map((paths) => new Promise<number>((resolveRead, rejectRead) => {
        const worker = new Worker(new URL(import.meta.url), { workerData: { root: list.root, paths } });
        worker.once('message', (n: number) => resolveRead(n));
        worker.once('error', rejectRead);
      })));
      return read.reduce((a, b) => a + b, 0);
    };
    const scanArgs = (format: string) => ['scan', 'tree', '--org-policy', 'ai-policy.yml', '--repo', 'bench/tree', '--format', format, '--jobs', String(jobs)];
    const scan = async () => {
      const io = bufferIo({ cwd: root });
      // The whole command, report included (JSON lists every file), written to the null device.
      const code = await dryRunCommand([...scanArgs('json'), '--output', devNull], io);
      if (code !== 0) throw new Error(`scan exited ${code}: ${io.err()}`);
    };
    const time = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };

    const readMs: number[] = [];
    const scanMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      readMs.push(await time(readAll));
      scanMs.push(await time(scan));
    }
    const io = bufferIo({ cwd: root });
    await dryRunCommand(scanArgs('text'), io);
    const read = median(readMs);
    const scanned = median(scanMs);
    const rate = (ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(0)} MB/s`;
    console.log(`scan result: ${io.out().trim().split('\n').at(-1)}`);
    console.log(`list + read every file  ${(read / 1000).toFixed(2)} s  (${rate(read)}, median of ${ROUNDS})`);
    console.log(`aigate dry-run scan     ${(scanned / 1000).toFixed(2)} s  (${rate(scanned)}, median of ${ROUNDS})`);
    console.log(`ratio scan / read       ${(scanned / read).toFixed(2)} (aim ≤ 3)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
