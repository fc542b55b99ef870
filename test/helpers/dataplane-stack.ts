import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { compileLocalBundle } from '../../compiler/local/compile-local.ts';
import type { AuditRecordV1, JournalLineV1 } from '../../dataplane/audit/audit-record.ts';
import type { DataplaneConfig } from '../../dataplane/config/dataplane-config.ts';
import { createLogger } from '../../dataplane/log.ts';
import { startDataplane, type Dataplane } from '../../dataplane/server/start-dataplane.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { generateSigningKeyPair, parsePrivateKey, parsePublicKey } from '../../policy/keys.ts';
import { AICONFIGS, GITLAB_FIXTURES, ORG_POLICY } from '../dataplane/fixtures.ts';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import type { FakeGitLabFixtures } from '../fake-gitlab/fixture-types.ts';
import { compileFixture } from './policy-fixtures.ts';
import { tempDir } from './temp-dir.ts';

export interface StackOptions {
  /** `local`: org policy compiled in-process; `signed`: a signed bundle file (the default). */
  readonly mode?: 'local' | 'signed';
  readonly gitlab?: FakeGitLabFixtures;
  readonly orgPolicy?: string;
  readonly aiconfigs?: Readonly<Record<string, string>>;
  /** Adjust the proxy configuration before start. */
  readonly configure?: (config: DataplaneConfig) => DataplaneConfig;
  /** Reuse a directory (state and journal survive a restart). */
  readonly dir?: string;
  readonly bundleTtlMs?: number;
}

export interface Stack {
  readonly dir: string;
  readonly gitlab: FakeGitLab;
  readonly dataplane: Dataplane;
  readonly logs: string[];
  readonly signing: { readonly privateKeyPem: string; readonly publicKeyPem: string; readonly keyid: string };
  readonly config: DataplaneConfig;
  request(path: string, options?: { token?: string; headers?: Record<string, string>; method?: string; body?: string }): Promise<{ status: number; headers: Headers; text: string }>;
  /** Every audit record written so far (flushes first). */
  records(): Promise<AuditRecordV1[]>;
  /** Compiles the fixtures (or a given payload) into a signed bundle file the proxy watches. */
  writeBundle(payload?: BundlePayloadV1, signer?: { privateKeyPem: string }): string;
  restart(): Promise<Stack>;
  close(): Promise<void>;
}

/** GitLab ids of the fixture projects, for compiling a bundle keyed like the real compiler does. */
function fixtureProjects(fixtures: FakeGitLabFixtures, aiconfigs: Readonly<Record<string, string>>) {
  return fixtures.projects.map((p) => ({ id: p.id, path: p.path, ...(aiconfigs[p.path] !== undefined ? { aiconfig: aiconfigs[p.path] } : {}) }));
}

/**
 * A fake GitLab, a policy and a running proxy on port 0, torn down when the test ends. Logs are
 * captured so a test can prove no token or secret was written.
 */
export async function startStack(options: StackOptions = {}, reuse?: { gitlab: FakeGitLab; signing: Stack['signing'] }): Promise<Stack> {
  const fixtures = options.gitlab ?? GITLAB_FIXTURES;
  const aiconfigs = options.aiconfigs ?? AICONFIGS;
  const orgPolicy = options.orgPolicy ?? ORG_POLICY;
  const dir = options.dir ?? tempDir({ 'ai-policy.yml': orgPolicy, ...Object.fromEntries(Object.entries(aiconfigs).map(([path, text]) => [`repos/${path}/.aiconfig`, text])) });
  const gitlab = reuse?.gitlab ?? (await startFakeGitLab({ fixtures }));
  const signing = reuse?.signing ?? generateSigningKeyPair();
  const publicKey = parsePublicKey(signing.publicKeyPem);
  if (!publicKey.ok) throw new Error('test key');
  const mode = options.mode ?? 'signed';

  const writeBundle = (payload?: BundlePayloadV1, signer: { privateKeyPem: string } = signing) => {
    const key = parsePrivateKey(signer.privateKeyPem);
    if (!key.ok) throw new Error('test key');
    const body = payload ?? compileFixture(orgPolicy, fixtureProjects(fixtures, aiconfigs), { serial: Date.now(), ...(options.bundleTtlMs ? { ttlMs: options.bundleTtlMs } : {}) });
    const text = JSON.stringify(signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(body), [{ key: key.key, keyid: key.keyid }]));
    writeFileSync(join(dir, 'bundle.json'), text);
    return text;
  };
  if (mode === 'signed' && !options.dir) writeBundle();

  const base: DataplaneConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    tls: undefined,
    gitlab: { url: gitlab.url, timeoutMs: 2000, caFile: undefined },
    bundle:
      mode === 'local'
        ? { kind: 'local', orgPolicy: join(dir, 'ai-policy.yml'), aiconfigs: join(dir, 'repos'), pollMs: 100 }
        : { kind: 'file', file: join(dir, 'bundle.json'), pollMs: 100, trustedKeys: [{ keyid: publicKey.keyid, key: publicKey.key }] },
    stateDir: join(dir, 'state'),
    audit: { dir: join(dir, 'audit'), flushMs: 5, fsync: false },
    cache: { tokenTtlMs: 60_000, tokenNegativeTtlMs: 1_000, projectTtlMs: 60_000 },
    context: { maxFileSize: 10_000_000 },
    providers: {},
    proxy: { maxBodyBytes: 20 * 1024 * 1024, modelRoutes: [] },
    rateLimits: { store: 'memory', redisDown: 'strict-closed' },
  };
  const config = options.configure ? options.configure(base) : base;
  const logs: string[] = [];
  const dataplane = await startDataplane({ config, localCompiler: compileLocalBundle, logger: createLogger((line) => void logs.push(line)) });
  let closed = false;

  const stack: Stack = {
    dir,
    gitlab,
    dataplane,
    logs,
    signing,
    config,
    async request(path, opts = {}) {
      const response = await fetch(`${dataplane.url}${path}`, {
        method: opts.method ?? 'GET',
        headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
        ...(opts.body !== undefined ? { body: opts.body } : {}),
      });
      return { status: response.status, headers: response.headers, text: await response.text() };
    },
    async records() {
      await dataplane.journal.flush();
      const auditDir = config.audit.dir;
      return readdirSync(auditDir)
        .filter((f) => /^audit-.*\.jsonl$/.test(f))
        .sort()
        .flatMap((f) => readFileSync(join(auditDir, f), 'utf8').split('\n').filter(Boolean))
        .map((line) => (JSON.parse(line) as JournalLineV1).record);
    },
    writeBundle,
    async restart() {
      await dataplane.close();
      closed = true;
      return startStack({ ...options, dir }, { gitlab, signing });
    },
    async close() {
      if (!closed) await dataplane.close();
      closed = true;
    },
  };
  onTestFinished(async () => {
    await stack.close();
    if (!reuse) await gitlab.close();
  });
  return stack;
}
