import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataplaneConfig } from '../dataplane/config/dataplane-config.ts';

/** The bench user's GitLab token and the fake provider's key (fakes, safe to print). */
export const BENCH_TOKEN = 'glpat-BenchTokenNotARealOne0001';
export const BENCH_KEY = 'sk-bench-provider-key-0000';

/**
 * The proxy the benches measure: a fake GitLab with one user and team/app, a local (unsigned)
 * bundle with the built-in rules, anthropic and openai upstreams at `providerUrl`, and an fsync'd
 * journal. `extra` adds configuration (e.g. the audit database). Returns its URL and scratch dir.
 */
export async function startBenchProxy(providerUrl: string, extra: Partial<DataplaneConfig> = {}): Promise<{ url: string; dir: string }> {
  const { startFakeGitLab } = await import('../test/fake-gitlab/fake-gitlab.ts');
  const { startDataplane } = await import('../dataplane/server/start-dataplane.ts');
  const { compileLocalBundle } = await import('../compiler/local/compile-local.ts');
  const { createLogger } = await import('../dataplane/log.ts');
  const gitlab = await startFakeGitLab({
    fixtures: {
      users: [{ id: 1, username: 'bench', email: 'bench@example.com' }],
      tokens: [{ value: BENCH_TOKEN, kind: 'pat', user: 'bench', scopes: ['api'] }],
      groups: [{ id: 100, path: 'team', visibility: 'private', members: [{ user: 'bench', access_level: 30 }] }],
      projects: [{ id: 10, path: 'team/app', visibility: 'private', files: { 'README.md': 'x\n' } }],
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'aigate-bench-proxy-'));
  mkdirSync(join(dir, 'repos/team/app'), { recursive: true });
  writeFileSync(join(dir, 'ai-policy.yml'), 'providers:\n  anthropic: { enabled: true }\n  openai: { enabled: true }\nexclude: [".env", "*.key"]\nrate_limits: { per_user: 100000000 }\n');
  writeFileSync(join(dir, 'repos/team/app/.aiconfig'), 'ai_access:\n  enabled: true\n');
  const upstream = (provider: 'anthropic' | 'openai') => ({ provider, baseUrl: providerUrl, keys: [BENCH_KEY], auth: provider === 'anthropic' ? ('x-api-key' as const) : ('bearer' as const), models: [], connectTimeoutMs: 5000, firstByteTimeoutMs: 30_000, idleTimeoutMs: 30_000, connections: 64 });
  const dataplane = await startDataplane({
    config: {
      listen: { host: '127.0.0.1', port: 0 },
      tls: undefined,
      gitlab: { url: gitlab.url, timeoutMs: 5000, caFile: undefined },
      bundle: { kind: 'local', orgPolicy: join(dir, 'ai-policy.yml'), aiconfigs: join(dir, 'repos'), pollMs: 60_000 },
      stateDir: join(dir, 'state'),
      audit: { dir: join(dir, 'audit'), flushMs: 50, fsync: process.env['BENCH_FSYNC'] !== '0' },
      cache: { tokenTtlMs: 600_000, tokenNegativeTtlMs: 10_000, projectTtlMs: 600_000 },
      context: { maxFileSize: 10_000_000 },
      providers: { anthropic: upstream('anthropic'), openai: upstream('openai') },
      proxy: { maxBodyBytes: 20_000_000, modelRoutes: [] },
      rateLimits: { store: 'memory', redisDown: 'strict-closed' },
      ...extra,
    },
    localCompiler: compileLocalBundle,
    logger: createLogger(() => undefined),
  });
  return { url: dataplane.url, dir };
}
