import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createSecureContext } from 'node:tls';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { parsePublicKey } from '../../policy/keys.ts';
import { parseSize } from '../../policy/size.ts';
import type { TrustedKey } from '../../policy/verify-bundle.ts';
import { validateDataplaneConfig } from '../../schemas/generated/dataplane-config.validate.js';
import type { BundleSourceConfig, DataplaneConfig } from './dataplane-config.ts';
import { loadProviders } from './load-providers.ts';
import { loadShared } from './load-shared.ts';
import { configReader, type ConfigReader } from './config-reader.ts';

/** A configuration problem, as `file:line:col message`; `aigate serve` prints them all and exits 2. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Command-line settings that override or replace the file (single-machine start). */
export interface ConfigOverrides {
  readonly gitlabUrl?: string;
  readonly listen?: { host?: string; port?: number };
  readonly orgPolicy?: string;
  readonly aiconfigs?: string;
  readonly stateDir?: string;
  readonly auditDir?: string;
}

type Raw = Record<string, any>;

/**
 * Reads and resolves the proxy configuration: schema-checked with positions, durations and sizes
 * parsed, paths resolved against the config file's directory, trusted keys loaded, and secrets
 * taken from the environment variables the file names.
 */
export function loadDataplaneConfig(file: string | undefined, overrides: ConfigOverrides, env: Readonly<Record<string, string | undefined>>, cwd: string): DataplaneConfig {
  const problems: string[] = [];
  let raw: Raw = {};
  let base = cwd;
  let locate = (_message: string) => '';
  if (file !== undefined) {
    const path = resolve(cwd, file);
    base = dirname(path);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new ConfigError([`${file}: cannot read the file`]);
    }
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
    if (doc.errors.length > 0) throw new ConfigError(doc.errors.map((e) => `${file}:${lines.linePos(e.pos[0]).line}:${lines.linePos(e.pos[0]).col} ${e.message.split('\n')[0]}`));
    raw = (doc.toJS() ?? {}) as Raw;
    locate = (message) => `:${position(doc, lines, settingPointer(message))}`;
    if (!validateDataplaneConfig(raw)) {
      for (const e of validateDataplaneConfig.errors ?? []) {
        const unknown = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
        const extra = unknown === undefined ? '' : ` "${unknown}"`;
        const pos = position(doc, lines, e.instancePath, unknown);
        problems.push(`${file}:${pos} ${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`);
      }
      throw new ConfigError(problems);
    }
  }
  // A problem found after the schema check still points into the file: at the setting its message
  // starts with ("bundle.trusted_keys: …"), or the nearest enclosing one that is written.
  const where = (message: string) => (file ? `${file}${locate(message)} ${message}` : message);
  const read = configReader(env, problems, where);
  const duration = read.duration;
  const path = (value: string) => resolve(base, value);

  const gitlabUrl = overrides.gitlabUrl ?? raw['gitlab']?.url;
  if (typeof gitlabUrl !== 'string' || !/^https?:\/\/[^/]/.test(gitlabUrl)) problems.push(where('gitlab.url is required (e.g. https://gitlab.example.com), or pass --gitlab URL'));
  const stateDir = overrides.stateDir ? resolve(cwd, overrides.stateDir) : path(raw['state_dir'] ?? '.aigate-state');
  const bundle = bundleSource(raw['bundle'] ?? {}, overrides, read, path, cwd);
  const maxFileSize = raw['context']?.max_file_size === undefined ? 10_000_000 : parseSize(raw['context'].max_file_size);
  if (maxFileSize === undefined) problems.push(where('context.max_file_size is not a size (write 10mb)'));

  const tls = raw['tls'] ? { certFile: path(raw['tls'].cert_file), keyFile: path(raw['tls'].key_file) } : undefined;
  if (tls) checkTls(tls, raw['tls'], problems, where);
  const caFile = raw['gitlab']?.ca_file ? path(raw['gitlab'].ca_file) : undefined;
  if (caFile && !readable(caFile)) problems.push(where(`gitlab.ca_file: cannot read ${raw['gitlab'].ca_file}`));

  const config: DataplaneConfig = {
    listen: { host: overrides.listen?.host ?? raw['listen']?.host ?? '127.0.0.1', port: overrides.listen?.port ?? raw['listen']?.port ?? 8443 },
    tls,
    gitlab: { url: String(gitlabUrl ?? '').replace(/\/+$/, ''), timeoutMs: duration(raw['gitlab']?.timeout, 5000, 'gitlab.timeout'), caFile },
    bundle,
    stateDir,
    audit: { dir: overrides.auditDir ? resolve(cwd, overrides.auditDir) : raw['audit']?.dir ? path(raw['audit'].dir) : resolve(stateDir, 'audit'), flushMs: duration(raw['audit']?.flush_interval, 50, 'audit.flush_interval'), fsync: raw['audit']?.fsync ?? true },
    cache: {
      tokenTtlMs: duration(raw['cache']?.token_ttl, 60_000, 'cache.token_ttl'),
      tokenNegativeTtlMs: duration(raw['cache']?.token_negative_ttl, 10_000, 'cache.token_negative_ttl'),
      projectTtlMs: duration(raw['cache']?.project_ttl, 60_000, 'cache.project_ttl'),
    },
    context: { maxFileSize: maxFileSize ?? 10_000_000 },
    ...loadProviders(raw, read),
    ...loadShared(raw, read),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function bundleSource(raw: Raw, overrides: ConfigOverrides, read: ConfigReader, path: (p: string) => string, cwd: string): BundleSourceConfig {
  const { problems, where } = read;
  const pollMs = read.duration(raw['poll_interval'], 30_000, 'bundle.poll_interval');
  if (overrides.orgPolicy) return { kind: 'local', orgPolicy: resolve(cwd, overrides.orgPolicy), aiconfigs: overrides.aiconfigs ? resolve(cwd, overrides.aiconfigs) : undefined, pollMs: Math.min(pollMs, 2000) };
  if ((raw['file'] === undefined) === (raw['url'] === undefined)) {
    problems.push(where('bundle needs exactly one of file or url (or start with --org-policy FILE for a local, unsigned policy)'));
    return { kind: 'file', file: '', pollMs, trustedKeys: [] };
  }
  const keys = trustedKeys(raw['trusted_keys'] ?? [], path, problems, where);
  // A signed bundle source without trusted keys would accept nothing; say so now rather than deny forever.
  if (keys.length === 0) problems.push(where('bundle.trusted_keys must list at least one public key (aigate keygen writes one)'));
  if (raw['file'] !== undefined) return { kind: 'file', file: path(raw['file']), pollMs, trustedKeys: keys };
  return { kind: 'url', url: raw['url'], pollMs, trustedKeys: keys, authToken: read.secret(raw['auth_token'], 'bundle.auth_token') };
}

function trustedKeys(files: readonly string[], path: (p: string) => string, problems: string[], where: (key: string) => string): TrustedKey[] {
  const keys: TrustedKey[] = [];
  for (const file of files) {
    let pem: string;
    try {
      pem = readFileSync(path(file), 'utf8');
    } catch {
      problems.push(where(`bundle.trusted_keys: cannot read ${file}`));
      continue;
    }
    const parsed = parsePublicKey(pem);
    if (parsed.ok) keys.push({ keyid: parsed.keyid, key: parsed.key });
    else problems.push(where(`bundle.trusted_keys: ${file} is not an Ed25519 public key (${parsed.code})`));
  }
  return keys;
}

function readable(file: string): boolean {
  try {
    readFileSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * The certificate and key must load as a pair now: found at start-up they are a configuration
 * problem with a position, found by the HTTPS server they would be a crash. OpenSSL's message names
 * the mismatch, never key material.
 */
function checkTls(tls: { certFile: string; keyFile: string }, written: Raw, problems: string[], where: (key: string) => string): void {
  const missing = (['cert_file', 'key_file'] as const).filter((key) => !readable(key === 'cert_file' ? tls.certFile : tls.keyFile));
  for (const key of missing) problems.push(where(`tls.${key}: cannot read ${written[key]}`));
  if (missing.length > 0) return;
  try {
    createSecureContext({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
  } catch (error) {
    problems.push(where(`tls: cert_file and key_file are not a usable certificate and key (${error instanceof Error ? error.message : 'unknown error'})`));
  }
}

/** `gitlab.url is required` → `/gitlab/url`; `providers.openai.api_keys[1]: …` → `/providers/openai/api_keys/1`. */
function settingPointer(message: string): string {
  const key = /^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*/.exec(message)?.[0] ?? '';
  return key ? `/${key.replaceAll(/\[(\d+)\]/g, '.$1').split('.').join('/')}` : '';
}

/** Where `pointer` (or the nearest written setting above it) sits in the file; with `unknownKey`, where that key of the object is (not the object's first line). */
function position(doc: Document, lines: LineCounter, pointer: string, unknownKey?: string): string {
  let node: unknown = doc.contents;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const child: unknown = isMap(node) ? node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key)?.value : isSeq(node) ? node.items[Number(key)] : undefined;
    if (child === undefined || child === null) break;
    node = child;
  }
  if (unknownKey !== undefined && isMap(node)) node = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === unknownKey)?.key ?? node;
  const offset = (node as { range?: [number, number] } | undefined)?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return `${pos.line}:${pos.col}`;
}
