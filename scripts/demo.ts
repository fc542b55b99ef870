import Anthropic from '@anthropic-ai/sdk';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileLocalBundle } from '../compiler/local/compile-local.ts';
import { loadDataplaneConfig } from '../dataplane/config/load-config.ts';
import { createLogger } from '../dataplane/log.ts';
import { startDataplane } from '../dataplane/server/start-dataplane.ts';
import { verifyJournal } from '../dataplane/audit/verify-journal.ts';
import { startFakeGitLab } from '../test/fake-gitlab/fake-gitlab.ts';
import { startFakeProvider } from '../test/fake-providers/fake-provider.ts';

/**
 * The main job for a newcomer: the example policies (examples/) enforced end to end on this
 * machine. A local fake GitLab and a fake Anthropic API stand in for the real ones; aigate runs in
 * single-machine mode (org policy + .aiconfig files compiled in-process) and the official
 * Anthropic SDK talks to it as Claude Code would. Prints what each request became.
 */
const TOKEN = 'glpat-DemoUserToken000000001';
const dir = mkdtempSync(join(tmpdir(), 'aigate-demo-'));
mkdirSync(join(dir, 'repos/team/app'), { recursive: true });
mkdirSync(join(dir, 'repos/payments/api'), { recursive: true });
cpSync('examples/.aiconfig', join(dir, 'repos/team/app/.aiconfig'));
cpSync('examples/payments-api.aiconfig', join(dir, 'repos/payments/api/.aiconfig'));

const gitlab = await startFakeGitLab({
  fixtures: {
    users: [{ id: 1, username: 'dev', email: 'dev@example.com' }],
    tokens: [{ value: TOKEN, kind: 'pat', user: 'dev', scopes: ['api'] }],
    groups: ['team', 'payments', 'ops'].map((path, i) => ({ id: 100 + i, path, visibility: 'private' as const, ...(path === 'ops' ? {} : { members: [{ user: 'dev', access_level: 30 }] }) })),
    projects: [
      { id: 10, path: 'team/app', visibility: 'private', files: { 'README.md': '# app\n' } },
      { id: 11, path: 'team/secrets-vault', visibility: 'private', files: {} },
      { id: 12, path: 'payments/api', visibility: 'private', files: {} },
      { id: 13, path: 'ops/infra', visibility: 'private', files: {} },
    ],
  },
});
const provider = await startFakeProvider({ keys: ['sk-demo-provider-key'], script: { text: 'Looks good to me.' } });
const config = loadDataplaneConfig(undefined, { gitlabUrl: gitlab.url, listen: { port: 0 }, orgPolicy: 'examples/ai-policy.yml', aiconfigs: join(dir, 'repos'), stateDir: join(dir, 'state') }, {}, process.cwd());
const dataplane = await startDataplane({
  config: { ...config, providers: { anthropic: { provider: 'anthropic', baseUrl: provider.url, keys: ['sk-demo-provider-key'], auth: 'x-api-key', models: ['claude-demo'], connectTimeoutMs: 2000, firstByteTimeoutMs: 10_000, idleTimeoutMs: 10_000, connections: 4 } } },
  localCompiler: compileLocalBundle,
  logger: createLogger(() => undefined),
});
console.log(`aigate ${dataplane.url} (bundle ${dataplane.store.status().trust}), fake GitLab ${gitlab.url}, fake Anthropic ${provider.url}\n`);

const client = (repo: string) => new Anthropic({ baseURL: `${dataplane.url}/anthropic`, apiKey: TOKEN, maxRetries: 0, defaultHeaders: { 'X-AI-Repo': repo } });
const show = async (title: string, run: () => Promise<unknown>) => {
  try {
    await run();
    const seen = provider.requests.at(-1);
    console.log(`✔ ${title}\n  the provider received: …${seen?.bodyText.slice(-200)}\n`);
  } catch (error) {
    const e = error as { status?: number; error?: { error?: { code?: string; message?: string } } };
    console.log(`✘ ${title}\n  ${e.status} ${e.error?.error?.code}: ${e.error?.error?.message}\n`);
  }
};
const ask = (repo: string, content: Anthropic.MessageParam['content'], extra: Anthropic.MessageParam[] = []) =>
  client(repo).messages.create({ model: 'claude-demo', max_tokens: 50, messages: [...extra, { role: 'user', content }] });

await show('team/app: a secret in the prompt is redacted before it leaves', () => ask('team/app', 'Why does login fail?\nconfig: password = "hunter2-Sup3r"\nGITLAB_TOKEN: glpat-AbCdEfGhIjKlMnOpQrSt'));
await show('team/app: an agent that read .env gets its contents withheld', () =>
  ask('team/app', [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'STRIPE_KEY=sk_live_demo' }], [
    { role: 'user', content: 'check my env' },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { file_path: '/home/dev/app/.env' } }] },
  ]),
);
await show('team/secrets-vault: blocked by the org policy', () => ask('team/secrets-vault', 'hi'));
await show('payments/api: anthropic is not allowed there', () => ask('payments/api', 'hi'));
await show('ops/infra: a repository this user cannot see in GitLab', () => ask('ops/infra', 'hi'));

await dataplane.journal.flush();
const verified = await verifyJournal(config.audit.dir);
console.log(`audit journal: ${verified.records} records, hash chain ${verified.ok ? 'intact' : 'BROKEN'}`);
for (const file of readdirSync(config.audit.dir).filter((f) => f.endsWith('.jsonl'))) {
  for (const line of readFileSync(join(config.audit.dir, file), 'utf8').split('\n').filter(Boolean)) {
    const r = (JSON.parse(line) as { record: { user: { username: string } | null; repo: { path: string } | null; decision: string; reason: string | null; redactions: Record<string, number>; withheld_paths: string[] } }).record;
    console.log(`  ${r.user?.username} ${r.repo?.path.padEnd(20)} ${r.decision.padEnd(6)} ${(r.reason ?? '').padEnd(22)} redactions ${JSON.stringify(r.redactions)} withheld ${JSON.stringify(r.withheld_paths)}`);
  }
}
await dataplane.close();
await provider.close();
await gitlab.close();
rmSync(dir, { recursive: true, force: true });
