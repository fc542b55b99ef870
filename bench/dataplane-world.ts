import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { compileBundle } from '../compiler/compile/compile-bundle.ts';
import { loadOrgPolicy, loadRepoPolicy } from '../compiler/load/load-policies.ts';
import type { RepoInput } from '../compiler/merge/merge-project.ts';
import type { BundlePayloadV1 } from '../policy/bundle-types.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../policy/bundle-types.ts';
import { canonicalBytes } from '../policy/canonical-json.ts';
import { signEnvelope } from '../policy/dsse.ts';
import { generateSigningKeyPair, parsePrivateKey } from '../policy/keys.ts';
import { startChild, type Child } from './child.ts';

/** The one user every benchmark request comes from (a fake GitLab token, not a real one). */
export const TOKEN = 'bench-alice-api-token';

const ROOT = join(import.meta.dirname, '..');
const GROUPS = ['team-a', 'team-b', 'platform', 'payments', 'data/warehouse', 'mobile'];
/** Projects that exist in the fake GitLab and take the requests; the rest only fill the bundle. */
export const HOT = [1, 2, 5, 6, 8, 11, 13, 19].map((id) => ({ id, path: projectPath(id) }));

function projectPath(i: number): string {
  return `${GROUPS[i % GROUPS.length]}/project-${i}`;
}

/** A 4 KB source file and a config file with a password line (one redaction per request). */
export const FILES: Readonly<Record<string, string>> = {
  'src/main.ts': Array.from({ length: 100 }, (_, i) => `export const value${String(i).padStart(3, '0')} = compute(${i}, "payload");\n`).join(''),
  'config.py': 'import os\n\nDATABASE_HOST = "db.internal"\npassword = "not-a-real-password"\nDEBUG = False\n',
};

/** The example org policy without rate limits: a benchmark sends far more than 100 requests an hour. */
export function benchOrgPolicy(extraExclude?: string): string {
  const text = readFileSync(join(ROOT, 'examples/ai-policy.yml'), 'utf8').replace(/^rate_limits:\n(?: {2}.*\n)+/m, '');
  return extraExclude ? text.replace('  - "secrets/"\n', `  - "secrets/"\n  - "${extraExclude}"\n`) : text;
}

/**
 * `n` projects the way bench/compile.ts shapes them: most share a few `.aiconfig` files, one in ten
 * has its own rule, one in seven has none. The hot projects get a plain opt-in.
 */
export function benchProjects(n: number): { id: number; path: string; input: RepoInput }[] {
  const org = loadOrgPolicy('ai-policy.yml', benchOrgPolicy());
  const common = [readFileSync(join(ROOT, 'examples/.aiconfig'), 'utf8'), 'ai_access:\n  enabled: true\n', 'ai_access:\n  enabled: true\n  allowed_providers: [anthropic]\n  exclude: ["*.sql"]\n', 'ai_access:\n  enabled: false\n'];
  const hot = new Set(HOT.map((p) => p.id));
  const out: { id: number; path: string; input: RepoInput }[] = [];
  for (let i = 1; i <= n; i++) {
    let text: string | undefined;
    if (hot.has(i)) text = 'ai_access:\n  enabled: true\n';
    else if (i % 10 === 0) text = `ai_access:\n  enabled: true\n  exclude: ["private-${i}/"]\n  redact_patterns:\n    - id: p${i}\n      pattern: "TOKEN_${i}=\\\\S+"\n`;
    else if (i % 7 !== 0) text = common[i % common.length];
    out.push({ id: i, path: projectPath(i), input: text === undefined ? { kind: 'none' } : loadRepoPolicy('.aiconfig', text, org.value).input });
  }
  return out;
}

export function benchPayload(projects: ReturnType<typeof benchProjects>, serial: number, extraExclude?: string): BundlePayloadV1 {
  const org = loadOrgPolicy('ai-policy.yml', benchOrgPolicy(extraExclude));
  if (!org.org) throw new Error('bench org policy is invalid');
  return compileBundle({ org: org.org, projects, serial, issuedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) });
}

export interface Signer {
  readonly publicKeyPem: string;
  sign(payload: BundlePayloadV1): string;
}

export function benchSigner(): Signer {
  const pair = generateSigningKeyPair();
  const key = parsePrivateKey(pair.privateKeyPem);
  if (!key.ok) throw new Error('key');
  return { publicKeyPem: pair.publicKeyPem, sign: (payload) => JSON.stringify(signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(payload), [{ key: key.key, keyid: key.keyid }])) };
}

export interface World {
  readonly gitlab: Child;
  readonly aigate: Child;
  /** e.g. http://127.0.0.1:41234 */
  readonly gitlabUrl: string;
  readonly aigateUrl: string;
  /** Wall time from spawning `aigate serve` to its listening line (includes the first bundle load). */
  readonly startMs: number;
  stop(): Promise<void>;
}

/**
 * The fake GitLab and `aigate serve --config` as two processes, with the bundle file `dir/bundle.json`
 * (already written) trusted through `dir/signer.pub`.
 */
export async function startWorld(dir: string, signer: Signer, config: { pollInterval?: string } = {}): Promise<World> {
  const fixtures = {
    users: [{ id: 1, username: 'alice', email: 'alice@example.com' }],
    tokens: [{ value: TOKEN, kind: 'pat', user: 'alice', scopes: ['api'] }],
    groups: ['team-a', 'team-b', 'platform', 'mobile'].map((path, i) => ({ id: 100 + i, path, visibility: 'private', members: [{ user: 'alice', access_level: 30 }] })),
    projects: HOT.map((p) => ({ id: p.id, path: p.path, visibility: 'private', files: FILES })),
  };
  writeFileSync(join(dir, 'fixtures.yml'), stringify(fixtures));
  writeFileSync(join(dir, 'signer.pub'), signer.publicKeyPem);
  const gitlab = await startChild('test/fake-gitlab/main.ts', ['--fixtures', 'fixtures.yml'], { cwd: dir, ready: /fake gitlab listening on (\S+)/ });
  writeFileSync(
    join(dir, 'aigate.yml'),
    stringify({
      listen: { host: '127.0.0.1', port: 0 },
      gitlab: { url: gitlab.ready },
      bundle: { file: 'bundle.json', trusted_keys: ['signer.pub'], poll_interval: config.pollInterval ?? '30s' },
      state_dir: 'state',
    }),
  );
  const started = performance.now();
  const aigate = await startChild('bin/aigate.ts', ['serve', '--config', 'aigate.yml'], { cwd: dir, ready: /aigate listening on (\S+) / });
  const startMs = performance.now() - started;
  return {
    gitlab,
    aigate,
    gitlabUrl: gitlab.ready,
    aigateUrl: aigate.ready,
    startMs,
    async stop() {
      const code = await aigate.stop();
      await gitlab.stop();
      if (code !== 0) throw new Error(`aigate serve exited ${code}:\n${aigate.output().slice(-2000)}`);
    },
  };
}
