import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { describe, expect, it, onTestFinished } from 'vitest';
import { EXIT } from '../../cli/exit-codes.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { generateSigningKeyPair, parsePrivateKey } from '../../policy/keys.ts';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { compileFixture } from '../helpers/policy-fixtures.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { AICONFIGS, GITLAB_FIXTURES, ORG_POLICY, SECRETS, TOKENS } from './fixtures.ts';

const ENTRY = fileURLToPath(new URL('../../bin/aigate.ts', import.meta.url));
/** A bundle-server credential with a distinctive body, so the test can grep every output for it. */
const BUNDLE_TOKEN = 'bundle-auth-DoNotLog-7f3c9a1e';

interface Served {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** `aigate serve ARGS` as a real process; resolves once it prints its listening line. */
async function serve(args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(process.execPath, [ENTRY, 'serve', ...args], { cwd, env: { PATH: process.env['PATH'] ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`aigate serve did not start:\n${out}`)), 20_000);
    const check = () => {
      const match = /aigate listening on (\S+) /.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => reject(new Error(`aigate serve exited ${code} before listening:\n${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** A fake GitLab for the test, closed when it ends. */
async function gitlab(): Promise<FakeGitLab> {
  const fake = await startFakeGitLab({ fixtures: GITLAB_FIXTURES });
  onTestFinished(() => fake.close());
  return fake;
}

const projects = GITLAB_FIXTURES.projects.map((p) => ({ id: p.id, path: p.path, ...(AICONFIGS[p.path] !== undefined ? { aiconfig: AICONFIGS[p.path] } : {}) }));

/** A signed bundle of the fixture projects and the public key file a config can trust. */
function signedBundle(dir: string): { envelope: string; publicKeyFile: string } {
  const signing = generateSigningKeyPair();
  const key = parsePrivateKey(signing.privateKeyPem);
  if (!key.ok) throw new Error('test key');
  writeFileSync(join(dir, 'signer.pub'), signing.publicKeyPem);
  const payload = compileFixture(ORG_POLICY, projects, { serial: Date.now() });
  return { envelope: JSON.stringify(signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(payload), [{ key: key.key, keyid: key.keyid }])), publicKeyFile: join(dir, 'signer.pub') };
}

/** A self-signed certificate for 127.0.0.1 (openssl is on every machine these tests run on). */
function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=aigate-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

async function get(url: string, options: { token?: string; ca?: string } = {}) {
  const dispatcher = new Agent(options.ca ? { connect: { ca: options.ca } } : {});
  try {
    const r = await request(url, { dispatcher, headers: options.token ? { authorization: `Bearer ${options.token}` } : {} });
    return { status: r.statusCode, headers: r.headers, text: await r.body.text() };
  } finally {
    await dispatcher.close();
  }
}

/** What every run must show: health, the seed's two verifications, and no credential in the output. */
async function exercise(served: Served, trust: string, ca?: string) {
  const health = await get(`${served.url}/health`, ca ? { ca } : {});
  expect(health.status).toBe(200);
  expect(JSON.parse(health.text)).toMatchObject({ status: 'healthy', gitlab: 'connected', audit: 'enabled', bundle: { active: true, trust } });
  const allowed = await get(`${served.url}/api/context?repo=team/app&file=config.py`, { token: TOKENS.alice, ...(ca ? { ca } : {}) });
  expect(allowed.status).toBe(200);
  expect(allowed.text).toContain('password=REDACTED');
  expect(allowed.text).not.toContain(SECRETS.password);
  const denied = await get(`${served.url}/api/context?repo=ops/secret-project&file=config.py`, { token: TOKENS.alice, ...(ca ? { ca } : {}) });
  expect(denied.status).toBe(403);
  expect(JSON.parse(denied.text).error.code).toBe('repo_access_denied');
}

function expectNoCredentials(text: string) {
  for (const secret of [BUNDLE_TOKEN, ...Object.values(TOKENS), SECRETS.password, SECRETS.gitlabPat]) expect(text).not.toContain(secret);
}

describe('aigate serve as a real process', () => {
  it('serves HTTPS with a bundle URL whose token comes from an environment variable, and stops cleanly on SIGTERM', async () => {
    expect(spawnSync('which', ['openssl']).status).toBe(0);
    const fake = await gitlab();
    const dir = tempDir();
    const { cert } = selfSignedCert(dir);
    const { envelope } = signedBundle(dir);
    // The bundle server answers only with the right bearer token, so a 200 proves the secret arrived.
    const seen: string[] = [];
    const bundles = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(req.headers.authorization === `Bearer ${BUNDLE_TOKEN}` ? (req.headers['if-none-match'] ? 'conditional' : 'authorized') : 'refused');
      if (req.headers.authorization !== `Bearer ${BUNDLE_TOKEN}`) return void res.writeHead(401).end();
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
      res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end(envelope);
    });
    await new Promise<void>((resolve) => bundles.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => bundles.close(() => resolve())));
    writeFileSync(
      join(dir, 'aigate.yml'),
      `# HTTPS, bundle over HTTP with a bearer token from the environment
listen: { host: 127.0.0.1, port: 0 }
tls:
  cert_file: tls.crt
  key_file: tls.key
gitlab:
  url: ${fake.url}
  timeout: 2s
bundle:
  url: http://127.0.0.1:${(bundles.address() as AddressInfo).port}/bundles/current
  poll_interval: 200ms
  trusted_keys: [signer.pub]
  auth_token: { env: AIGATE_BUNDLE_TOKEN }
state_dir: state
audit: { flush_interval: 10ms, fsync: false }
`,
    );
    const served = await serve(['--config', 'aigate.yml'], dir, { AIGATE_BUNDLE_TOKEN: BUNDLE_TOKEN });
    expect(served.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await exercise(served, 'signed', readFileSync(cert, 'utf8'));
    // Plain HTTP to the TLS port gets no answer aigate would serve.
    await expect(get(served.url.replace('https:', 'http:') + '/health')).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 500));
    expect(seen[0]).toBe('authorized');
    expect(seen).toContain('conditional');
    expect(seen).not.toContain('refused');
    expect(await served.stop()).toBe(EXIT.ok);
    expectNoCredentials(served.output());
    // The journal recorded the requests and was closed cleanly (the chain verifies).
    const verify = spawnSync(process.execPath, [ENTRY, 'audit', 'verify', join(dir, 'state', 'audit')], { encoding: 'utf8' });
    expect(verify.status).toBe(EXIT.ok);
    const journal = journalText(join(dir, 'state', 'audit'));
    // One record per /api/context request (allowed and denied); /health is not audited.
    expect(journal.split('\n').filter(Boolean).length).toBe(2);
    expectNoCredentials(journal);
  });

  it('serves plain HTTP from a watched bundle file and stops cleanly on SIGTERM', async () => {
    const fake = await gitlab();
    const dir = tempDir();
    const { envelope } = signedBundle(dir);
    writeFileSync(join(dir, 'bundle.json'), envelope);
    writeFileSync(join(dir, 'aigate.yml'), `listen: { port: 0 }\ngitlab: { url: ${fake.url} }\nbundle:\n  file: bundle.json\n  trusted_keys: [signer.pub]\nstate_dir: state\n`);
    const served = await serve(['--config', 'aigate.yml'], dir);
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.output()).toMatch(/aigate listening on \S+ \(bundle \d+\)/);
    await exercise(served, 'signed');
    expect(await served.stop()).toBe(EXIT.ok);
    expectNoCredentials(served.output());
  });

  it('runs single-machine mode from --org-policy and a folder of .aiconfig files, labelled unsigned', async () => {
    const fake = await gitlab();
    const dir = tempDir({ 'ai-policy.yml': ORG_POLICY, ...Object.fromEntries(Object.entries(AICONFIGS).map(([path, text]) => [`repos/${path}/.aiconfig`, text])) });
    const served = await serve(['--org-policy', 'ai-policy.yml', '--aiconfigs', 'repos', '--gitlab', fake.url, '--listen', '127.0.0.1:0', '--state-dir', 'state'], dir);
    expect(served.output()).toContain('local unsigned policy');
    await exercise(served, 'local (unsigned)');
    const health = JSON.parse((await get(`${served.url}/health`)).text);
    expect(health.bundle).toMatchObject({ signer: null, source: `local:${join(dir, 'ai-policy.yml')}` });
    expect(await served.stop()).toBe(EXIT.ok);
  });
});

/** Every journal line written, as one text. */
function journalText(dir: string): string {
  const files = readdirSync(dir).filter((f) => /^audit-.*\.jsonl$/.test(f));
  expect(files.length).toBeGreaterThan(0);
  return files.map((f) => readFileSync(join(dir, f), 'utf8')).join('');
}

describe('aigate serve with a bad configuration', () => {
  const run = (config: string, env: Record<string, string> = {}, files: Record<string, string> = {}) => {
    const dir = tempDir({ 'aigate.yml': config, ...files });
    const result = spawnSync(process.execPath, [ENTRY, 'serve', '--config', 'aigate.yml'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 20_000 });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
  const valid = 'gitlab: { url: http://127.0.0.1:9 }\nbundle:\n  url: http://127.0.0.1:9/b\n  trusted_keys: [k.pub]\n';

  it('names the file, line and column of an unknown key and exits 2', () => {
    const r = run(`gitlab:\n  url: http://127.0.0.1:9\n  tokn: x\nbundle: { file: b.json }\n`);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toMatch(/aigate\.yml:3:3 \/gitlab must NOT have additional properties "tokn"/);
    expect(r.out).toBe('');
  });

  it('names the position of a wrong type and of a YAML syntax error', () => {
    const type = run('listen:\n  port: eighty\ngitlab: { url: http://127.0.0.1:9 }\nbundle: { file: b.json }\n');
    expect(type.code).toBe(EXIT.usage);
    expect(type.err).toMatch(/aigate\.yml:2:9 \/listen\/port must be integer/);
    const syntax = run('gitlab:\n  url: [http://x\nbundle: {}\n');
    expect(syntax.code).toBe(EXIT.usage);
    expect(syntax.err).toMatch(/aigate\.yml:\d+:\d+ /);
  });

  it('refuses an inline secret, and names a missing environment variable without any value', () => {
    const inline = run(valid.replace('trusted_keys', 'auth_token: s3cr3t-inline\n  trusted_keys'));
    expect(inline.code).toBe(EXIT.usage);
    expect(inline.err).toMatch(/aigate\.yml:4:15 \/bundle\/auth_token must be object/);
    const missing = run(valid.replace('trusted_keys', 'auth_token: { env: AIGATE_BUNDLE_TOKEN }\n  trusted_keys'), { OTHER: BUNDLE_TOKEN });
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.err).toContain('bundle.auth_token: environment variable AIGATE_BUNDLE_TOKEN is not set');
    expectNoCredentials(missing.err);
  });

  it('points at TLS files that are missing or not a certificate and key, before anything starts', () => {
    const missing = run(`${valid}tls:\n  cert_file: none.crt\n  key_file: none.key\n`);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.err).toMatch(/aigate\.yml:6:14 tls\.cert_file: cannot read .*none\.crt/);
    expect(missing.err).toMatch(/aigate\.yml:7:13 tls\.key_file: cannot read .*none\.key/);
    const garbage = run(`${valid}tls: { cert_file: not.pem, key_file: not.pem }\n`, {}, { 'not.pem': 'hello\n' });
    expect(garbage.code).toBe(EXIT.usage);
    expect(garbage.err).toMatch(/aigate\.yml:5:6 tls: cert_file and key_file are not a usable certificate and key/);
  });

  it('says plainly that the listen address is taken, and exits 2 instead of hanging', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const port = (taken.address() as AddressInfo).port;
    const r = run(`listen: { host: 127.0.0.1, port: ${port} }\n${valid}`, {}, { 'k.pub': generateSigningKeyPair().publicKeyPem });
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(`aigate serve: cannot listen on 127.0.0.1:${port}: the address is already in use`);
  });

  it('exits 2 for a missing file, and for a config without bundle source or trusted keys', () => {
    const none = spawnSync(process.execPath, [ENTRY, 'serve', '--config', 'nope.yml'], { cwd: tempDir(), encoding: 'utf8' });
    expect(none.status).toBe(EXIT.usage);
    expect(none.stderr).toContain('nope.yml: cannot read the file');
    const keys = run('gitlab: { url: http://127.0.0.1:9 }\nbundle: { file: b.json }\n');
    expect(keys.code).toBe(EXIT.usage);
    expect(keys.err).toContain('aigate.yml:2:9 bundle.trusted_keys must list at least one public key');
    const both = run('gitlab: { url: http://127.0.0.1:9 }\nbundle:\n  file: b.json\n  url: http://127.0.0.1:9/b\n  trusted_keys: [k.pub]\n');
    expect(both.err).toContain('aigate.yml:3:3 bundle needs exactly one of file or url');
    const unreadable = run('gitlab: { url: http://127.0.0.1:9 }\nbundle:\n  file: b.json\n  trusted_keys: [k.pub]\n');
    expect(unreadable.err).toContain('aigate.yml:4:17 bundle.trusted_keys: cannot read k.pub');
  });
});
