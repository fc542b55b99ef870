import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitLabClient } from '../compiler/gitlab/gitlab-client.ts';
import { openProjectCache } from '../compiler/gitlab/project-cache.ts';
import { loadOrgPolicy, loadRepoPolicy } from '../compiler/load/load-policies.ts';
import { openPublisher } from '../compiler/publish/bundle-publisher.ts';
import { signBundle } from '../compiler/publish/sign-bundle.ts';
import { createCompileEngine } from '../compiler/service/compile-engine.ts';
import { serviceLog } from '../compiler/service/service-log.ts';
import { generateSigningKeyPair, parsePrivateKey } from '../policy/keys.ts';
import type { FakeGitLabFixtures } from '../test/fake-gitlab/fixture-types.ts';
import { startChild } from './child.ts';

/**
 * Org-wide compile against a fake GitLab (its own process) holding PROJECTS projects (default
 * 10,000): a full compile from scratch (keyset listing, GraphQL blobs 50 per request, validate,
 * merge, sign, publish), a full re-sync where nothing changed (blob ids only), and the incremental
 * recompile a push webhook triggers after one `.aiconfig` change. Prints times and GitLab
 * requests, and each time as a ratio of the local compile of the same projects measured in the
 * same run (files already in memory: the floor any GitLab-driven compile pays).
 * Aims: full < 60 s, incremental < 1 s.
 */
const N = Number(process.env['PROJECTS'] ?? 10_000);
const ROOT = join(import.meta.dirname, '..');
const TOKEN = 'bench-compiler-token';
const orgText = readFileSync(join(ROOT, 'examples/ai-policy.yml'), 'utf8');
const org = loadOrgPolicy('ai-policy.yml', orgText);
if (!org.org) throw new Error('example org policy is invalid');
const COMMON = [readFileSync(join(ROOT, 'examples/.aiconfig'), 'utf8'), 'ai_access:\n  enabled: true\n', 'ai_access:\n  enabled: true\n  allowed_providers: [anthropic]\n  exclude: ["*.sql"]\n', 'ai_access:\n  enabled: false\n'];
const GROUPS = ['team-a', 'team-b', 'platform', 'payments', 'data/warehouse', 'mobile'];

const aiconfigOf = (i: number): string | undefined =>
  i % 10 === 0 ? `ai_access:\n  enabled: true\n  exclude: ["private-${i}/"]\n  redact_patterns:\n    - id: p${i}\n      pattern: "TOKEN_${i}=\\\\S+"\n` : i % 7 === 0 ? undefined : COMMON[i % COMMON.length];

const dir = mkdtempSync(join(tmpdir(), 'aigate-bench-org-'));
const fixtures: FakeGitLabFixtures = {
  users: [{ id: 1, username: 'aigate-bot', email: 'bot@example.com', admin: true, bot: true }],
  tokens: [{ value: TOKEN, kind: 'pat', user: 'aigate-bot', scopes: ['api'] }],
  projects: [
    { id: 1, path: 'security/ai-policy', visibility: 'private', files: { 'ai-policy.yml': orgText } },
    ...Array.from({ length: N }, (_, k) => {
      const i = k + 2;
      const text = aiconfigOf(i);
      return { id: i, path: `${GROUPS[i % GROUPS.length]}/project-${i}`, visibility: 'private' as const, files: { 'README.md': `# ${i}\n`, ...(text ? { '.aiconfig': text } : {}) } };
    }),
  ],
};
writeFileSync(join(dir, 'fixtures.json'), JSON.stringify(fixtures));
const fake = await startChild('test/fake-gitlab/main.ts', ['--fixtures', join(dir, 'fixtures.json')], { cwd: ROOT, ready: /listening on (\S+)/ });
const url = fake.ready;
const key = parsePrivateKey(generateSigningKeyPair().privateKeyPem);
if (!key.ok) throw new Error('key');
const signers = [{ key: key.key, keyid: key.keyid }];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

try {
  // Baseline: the same projects compiled and signed from texts already in memory.
  const t0 = performance.now();
  const local = fixtures.projects.slice(1).map((p) => {
    const text = p.files?.['.aiconfig'];
    return { id: p.id, path: p.path, input: typeof text === 'string' ? loadRepoPolicy('.aiconfig', text, org.value).input : ({ kind: 'none' } as const) };
  });
  signBundle({ org: org.org, projects: local, serial: Date.now(), now: new Date(), expiresInMs: 86_400_000, signers });
  const baseline = performance.now() - t0;

  const client = createGitLabClient({ url, token: TOKEN });
  const publisher = await openPublisher(join(dir, 'bundles'));
  const cache = await openProjectCache(join(dir, 'projects.json'));
  const engine = createCompileEngine({ client, cache, publisher, policy: { project: 'security/ai-policy', file: 'ai-policy.yml', ref: undefined }, group: undefined, signers, expiresInMs: 86_400_000, stateDir: join(dir, 'state'), log: serviceLog(() => undefined) });

  let before = client.stats.requests;
  const t1 = performance.now();
  await engine.fullSync('bench: from scratch');
  const full = performance.now() - t1;
  const fullRequests = client.stats.requests - before;
  const sync = engine.status().lastSync;

  before = client.stats.requests;
  const t2 = performance.now();
  await engine.fullSync('bench: nothing changed');
  const resync = performance.now() - t2;
  const resyncRequests = client.stats.requests - before;

  const changed = { id: 12, path: `${GROUPS[12 % GROUPS.length]}/project-12` };
  await fetch(`${url}/__fake/state/commitFiles`, { method: 'POST', body: JSON.stringify([changed.id, 'main', { '.aiconfig': 'ai_access:\n  enabled: true\n  exclude: ["secret/"]\n' }]) });
  before = client.stats.requests;
  const t3 = performance.now();
  await engine.syncProject(changed, 'HEAD');
  const incremental = performance.now() - t3;
  const incrementalRequests = client.stats.requests - before;
  const serial = publisher.current()?.serial;
  const bytes = publisher.current()?.text.length ?? 0;
  await client.close();

  console.log(`projects                        ${N} (+ the policy repository)`);
  console.log(`baseline: local compile+sign    ${seconds(baseline)} (texts in memory, no GitLab)`);
  console.log(`full compile from scratch       ${seconds(full)}  ${(full / baseline).toFixed(2)}x baseline  ${fullRequests} GitLab requests (aim < 60 s)`);
  console.log(`  listed ${sync?.listed}, fetched ${sync?.fetched}, reused ${sync?.reused}; bundle ${(bytes / 1e6).toFixed(2)} MB`);
  console.log(`full re-sync, nothing changed   ${seconds(resync)}  ${(resync / baseline).toFixed(2)}x baseline  ${resyncRequests} GitLab requests (blob ids only)`);
  console.log(`incremental (one .aiconfig)     ${seconds(incremental)}  ${(incremental / baseline).toFixed(2)}x baseline  ${incrementalRequests} GitLab request(s) (aim < 1 s), serial ${serial}`);
} finally {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
}
