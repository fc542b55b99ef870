import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { openPublisher, type BundlePublisher } from '../../compiler/publish/bundle-publisher.ts';
import { bundleRoutes } from '../../compiler/publish/bundle-routes.ts';
import { compileFixture } from '../helpers/policy-fixtures.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { writeSignedBundle } from './bundle-file.ts';
import { AICONFIG, commitAll, dryRun, gitRepo, ORG_POLICY, writeFiles, type RunResult } from './dry-run-fixture.ts';

const READER = 'aigate-bundle-reader-DryRun0001';

/** The compiler service's bundle routes (Bearer reader tokens) over real HTTP on port 0. */
async function bundleServer(): Promise<{ url: string; publisher: BundlePublisher }> {
  const publisher = await openPublisher(tempDir(), { keep: 2 });
  const app = express();
  app.use(bundleRoutes(publisher, [READER]));
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => new Promise<void>((r) => {
    publisher.close();
    server.close(() => r());
    server.closeAllConnections();
  }));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, publisher };
}

/** A signed bundle for team/app with AICONFIG, published; returns its public key file. */
async function published(publisher: BundlePublisher, dir: string): Promise<{ publicKey: string; text: string }> {
  const { bundle, publicKey } = writeSignedBundle(dir, compileFixture(ORG_POLICY, [{ id: 42, path: 'team/app', aiconfig: AICONFIG }], { serial: 7 }));
  const text = readFileSync(bundle, 'utf8');
  await publisher.publish(text, 7);
  return { publicKey, text };
}

async function run(args: string[], cwd: string, env: Record<string, string> = { BUNDLE_TOKEN: READER }): Promise<RunResult> {
  const result = await dryRun(args, cwd, env);
  expect(`${result.out}${result.err}`).not.toContain(READER);
  return result;
}

describe('dry-run with --bundle URL', () => {
  it('check: fetches /bundles/current with a reader token and verifies it with --trusted-key', async () => {
    const { url, publisher } = await bundleServer();
    const dir = tempDir();
    const { publicKey } = await published(publisher, dir);
    const result = await run(['check', '--bundle', `${url}/bundles/current`, '--bundle-token-env', 'BUNDLE_TOKEN', '--trusted-key', publicKey, '--repo', 'team/app', '--provider', 'anthropic', '--file', 'db/x.sql'], dir);
    expect(result.code).toBe(EXIT.failed);
    expect(result.out).toMatch(new RegExp(`policy {5}${url}/bundles/current, serial 7, verified by ed25519:`));
    expect(result.out).toContain('rule       glob "*.sql" (.aiconfig line 5)');
    const unverified = await run(['check', '--bundle', `${url}/bundles/7`, '--bundle-token-env', 'BUNDLE_TOKEN', '--repo', 'team/app', '--provider', 'anthropic'], dir);
    expect([unverified.code, unverified.out]).toEqual([EXIT.ok, expect.stringContaining('NOT VERIFIED')]);
  });

  it('refuses a bundle the trusted key does not verify, or that was altered on the way (exit 1, as for a file)', async () => {
    const { url, publisher } = await bundleServer();
    const dir = tempDir();
    const { text } = await published(publisher, dir);
    const other = writeSignedBundle(join(dir, '..'), compileFixture(ORG_POLICY, [])).publicKey;
    const wrongKey = await run(['check', '--bundle', `${url}/bundles/current`, '--bundle-token-env', 'BUNDLE_TOKEN', '--trusted-key', other, '--repo', 'team/app', '--provider', 'anthropic'], dir);
    expect([wrongKey.code, wrongKey.err]).toEqual([EXIT.failed, expect.stringContaining(`${url}/bundles/current is not a valid bundle`)]);
    const envelope = JSON.parse(text) as { payload: string };
    const payload = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { serial: number };
    await publisher.publish(JSON.stringify({ ...envelope, payload: Buffer.from(JSON.stringify({ ...payload, serial: 8 })).toString('base64') }), 8);
    const key = join(dir, 'bundle.pub');
    const altered = await run(['check', '--bundle', `${url}/bundles/current`, '--bundle-token-env', 'BUNDLE_TOKEN', '--trusted-key', key, '--repo', 'team/app', '--provider', 'anthropic'], dir);
    expect([altered.code, altered.err]).toEqual([EXIT.failed, expect.stringContaining('is not a valid bundle')]);
  });

  it('diff: base = the bundle a proxy would fetch, head compiled with the org policy', async () => {
    const { url, publisher } = await bundleServer();
    const repo = gitRepo({ '.aiconfig': AICONFIG, 'db/schema.sql': 'create table t (id int);\n' });
    const { publicKey } = await published(publisher, join(repo, '..'));
    writeFileSync(join(repo, '..', 'ai-policy.yml'), ORG_POLICY);
    writeFiles(repo, { '.aiconfig': AICONFIG.replace('    - "*.sql"\n', '') });
    commitAll(repo, 'drop *.sql');
    const result = await run(['diff', '--bundle', `${url}/bundles/current`, '--bundle-token-env', 'BUNDLE_TOKEN', '--trusted-key', publicKey, '--org-policy', '../ai-policy.yml', '--repo', 'team/app', '--format', 'json', '--fail-on', 'loosening'], repo);
    expect(result.code).toBe(EXIT.failed);
    const report = JSON.parse(result.out) as { base: { label: string; origin: string }; files: { becomeVisible: { path: string }[] } };
    expect(report.base.label).toBe(`bundle ${url}/bundles/current`);
    expect(report.base.origin).toMatch(/serial 7, verified by ed25519:/);
    expect(report.files.becomeVisible.map((f) => f.path)).toEqual(['db/schema.sql']);
  });

  it('exits 2 without the reader token, with the service code when nothing is published, for a token option with a file', async () => {
    const { url, publisher } = await bundleServer();
    const dir = tempDir();
    const args = ['check', '--repo', 'team/app', '--provider', 'anthropic'];
    const notYet = await run([...args, '--bundle', `${url}/bundles/current`, '--bundle-token-env', 'BUNDLE_TOKEN'], dir);
    expect([notYet.code, notYet.err]).toEqual([EXIT.usage, expect.stringContaining(`cannot fetch the bundle from ${url}/bundles/current: HTTP 503 Service Unavailable (bundle_not_published)`)]);
    await published(publisher, dir);
    const anonymous = await run([...args, '--bundle', `${url}/bundles/current`], dir);
    expect([anonymous.code, anonymous.err]).toEqual([EXIT.usage, expect.stringContaining('HTTP 401 Unauthorized (unauthorized)')]);
    expect(anonymous.err).toContain('hint: the server wants a token: put it in an environment variable and pass --bundle-token-env NAME');
    const wrong = await run([...args, '--bundle', `${url}/bundles/current`, '--bundle-token-env', 'BUNDLE_TOKEN'], dir, { BUNDLE_TOKEN: 'not-the-reader-token-000' });
    expect(wrong.err).toContain('hint: the token in $BUNDLE_TOKEN was refused or may not read this: the compiler service takes one of its publish.reader_tokens');
    expect(wrong.err).not.toContain('not-the-reader-token-000');
    const gone = await run([...args, '--bundle', `${url}/bundles/6`, '--bundle-token-env', 'BUNDLE_TOKEN'], dir);
    expect(gone.err).toContain('HTTP 404 Not Found (bundle_not_published)');
    const file = await run([...args, '--bundle', 'bundle.json', '--bundle-token-env', 'BUNDLE_TOKEN'], dir);
    expect([file.code, file.err]).toEqual([EXIT.usage, expect.stringContaining('--bundle-token-env goes with a --bundle URL, not a file')]);
  });
});
