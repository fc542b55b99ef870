import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { CompilerServiceConfig } from '../../compiler/service/service-config.ts';
import { serviceLog } from '../../compiler/service/service-log.ts';
import { startCompilerService, type CompilerService } from '../../compiler/service/start-compiler-service.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { generateSigningKeyPair, parsePrivateKey, type SigningKeyPair } from '../../policy/keys.ts';
import { AICONFIGS, GITLAB_FIXTURES, ORG_POLICY } from '../dataplane/fixtures.ts';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import type { FakeGitLabFixtures } from '../fake-gitlab/fixture-types.ts';
import { tempDir } from '../helpers/temp-dir.ts';

/** Distinctive secrets: tests grep every log line for them. */
export const COMPILER_TOKEN = 'glpat-CompilerServiceToken0001';
export const WEBHOOK_TOKEN = 'whsec-WebhookTokenDoNotLog01';
export const WEBHOOK_TOKEN_NEXT = 'whsec-WebhookTokenRotated002';
export const POLICY_PROJECT = 'security/ai-policy';
export const POLICY_PROJECT_ID = 1;
/** The policy repository's CI job token (generic package uploads). */
export const POLICY_JOB_TOKEN = 'glcbt-PolicyRepoJobToken0001';

/**
 * The data plane suites' world, with every project's `.aiconfig` committed to its repository, an
 * org policy repository, and an admin bot whose token the compiler uses.
 */
export function compilerWorld(): FakeGitLabFixtures {
  return {
    users: [...GITLAB_FIXTURES.users, { id: 90, username: 'aigate-bot', email: 'aigate-bot@example.com', admin: true, bot: true }],
    tokens: [...GITLAB_FIXTURES.tokens, { value: COMPILER_TOKEN, kind: 'pat', user: 'aigate-bot', scopes: ['api'] }, { value: POLICY_JOB_TOKEN, kind: 'job', user: 'aigate-bot', scopes: [], project: POLICY_PROJECT }],
    groups: [...(GITLAB_FIXTURES.groups ?? []), { id: 110, path: 'security', visibility: 'private' }, { id: 111, path: 'compliance', visibility: 'private' }],
    projects: [
      { id: POLICY_PROJECT_ID, path: POLICY_PROJECT, visibility: 'private', files: { 'ai-policy.yml': ORG_POLICY, 'README.md': '# policy\n' } },
      ...GITLAB_FIXTURES.projects.map((p) => (AICONFIGS[p.path] === undefined ? p : { ...p, files: { ...p.files, '.aiconfig': AICONFIGS[p.path] ?? '' } })),
    ],
  };
}

export interface ServiceFixture {
  readonly gitlab: FakeGitLab;
  readonly service: CompilerService;
  readonly config: CompilerServiceConfig;
  readonly signing: SigningKeyPair;
  readonly logs: string[];
  readonly dir: string;
  /** The payload of the bundle served now. */
  payload(): BundlePayloadV1;
  restart(): Promise<ServiceFixture>;
}

export async function startServiceFixture(options: { gitlab?: FakeGitLab; dir?: string; signing?: SigningKeyPair; configure?: (c: CompilerServiceConfig) => CompilerServiceConfig } = {}): Promise<ServiceFixture> {
  const gitlab = options.gitlab ?? (await startFakeGitLab({ fixtures: compilerWorld() }));
  const dir = options.dir ?? tempDir();
  const signing = options.signing ?? generateSigningKeyPair();
  const key = parsePrivateKey(signing.privateKeyPem);
  if (!key.ok) throw new Error('test key');
  const base: CompilerServiceConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    gitlab: { url: gitlab.url, token: COMPILER_TOKEN, timeoutMs: 5000 },
    webhookTokens: [WEBHOOK_TOKEN, WEBHOOK_TOKEN_NEXT],
    dedupeSize: 1000,
    policy: { project: POLICY_PROJECT, file: 'ai-policy.yml', ref: undefined },
    group: undefined,
    signers: [{ key: key.key, keyid: key.keyid }],
    expiresInMs: 3_600_000,
    resignEveryMs: 1_800_000,
    fullSyncEveryMs: 3_600_000,
    publish: { dir: join(dir, 'bundles'), keep: 10, readerTokens: [], package: undefined },
    mergeRequests: { enabled: true, statusName: 'aigate/policy' },
    concurrency: 4,
    stateDir: join(dir, 'state'),
  };
  const config = options.configure ? options.configure(base) : base;
  const logs: string[] = [];
  const service = await startCompilerService(config, { log: serviceLog((line) => void logs.push(line)) });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await service.close();
  };
  onTestFinished(async () => {
    await close();
    if (!options.gitlab) await gitlab.close();
  });
  await service.queue.idle();
  const fixture: ServiceFixture = {
    gitlab,
    service,
    config,
    signing,
    logs,
    dir,
    payload() {
      const current = service.publisher.current();
      if (!current) throw new Error('no bundle published');
      const envelope = JSON.parse(current.text) as { payload: string };
      return JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as BundlePayloadV1;
    },
    async restart() {
      await close();
      return startServiceFixture({ ...options, gitlab, dir, signing });
    },
  };
  return fixture;
}

/** POSTs a webhook as GitLab would, with a chosen token and delivery id. */
export async function postHook(service: CompilerService, event: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${service.url}/hooks/gitlab`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gitlab-event': event, ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}
