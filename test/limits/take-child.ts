// A second data plane process for the shared-limit test: takes from a Redis store and prints how
// many were admitted. Usage: node take-child.ts URL PREFIX KEY LIMIT WINDOW_MS COUNT
import { createRedisRateLimitStore } from '../../dataplane/limits/redis-store.ts';

const [url, prefix, key, limit, windowMs, count] = process.argv.slice(2) as [string, string, string, string, string, string];
const store = createRedisRateLimitStore({ url, keyPrefix: prefix, commandTimeoutMs: 2000 });
if (!(await store.waitReady(5000))) throw new Error('redis not ready');
// Wait for the parent's go, so both processes take at the same time.
process.stdout.write('ready\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.destroy();
const results = await Promise.all(Array.from({ length: Number(count) }, () => store.take(key, Number(limit), Number(windowMs))));
process.stdout.write(`${JSON.stringify({ allowed: results.filter((r) => r.allowed).length })}\n`);
await store.close();
