import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UsageError } from '../../cli/exit-error.ts';
import { parseDuration } from '../../policy/duration.ts';
import { parsePrivateKey } from '../../policy/keys.ts';
import { validateCompilerConfig } from '../../schemas/generated/compiler-config.validate.js';
import type { KeyObject } from 'node:crypto';

export interface CompilerServiceConfig {
  readonly listen: { readonly host: string; readonly port: number };
  readonly gitlab: { readonly url: string; readonly token: string; readonly timeoutMs: number };
  readonly webhookTokens: readonly string[];
  readonly dedupeSize: number;
  readonly policy: { readonly project: string; readonly file: string; readonly ref: string | undefined };
  readonly group: string | undefined;
  readonly signers: readonly { readonly key: KeyObject; readonly keyid: string }[];
  readonly expiresInMs: number;
  readonly resignEveryMs: number;
  readonly fullSyncEveryMs: number;
  readonly publish: { readonly dir: string; readonly keep: number; readonly readerTokens: readonly string[]; readonly package: { readonly project: string; readonly name: string } | undefined };
  readonly mergeRequests: { readonly enabled: boolean; readonly statusName: string };
  readonly concurrency: number;
  readonly stateDir: string;
}

type Raw = Record<string, any>;

/**
 * Reads `compiler.yml`: schema-checked, durations parsed, paths resolved against the file's
 * directory, secrets taken from the environment variables it names. Every problem is collected and
 * reported as one usage error; a secret's value never appears in one.
 */
export function loadServiceConfig(file: string, env: Readonly<Record<string, string | undefined>>, cwd: string): CompilerServiceConfig {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`aigate compiler: cannot read the configuration "${file}"`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) throw new UsageError(`aigate compiler: ${file} is not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`);
  const raw = (doc.toJS() ?? {}) as Raw;
  if (!validateCompilerConfig(raw)) {
    const problems = (validateCompilerConfig.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : ''}`);
    throw new UsageError(`aigate compiler: invalid configuration ${file}:\n  ${problems.join('\n  ')}`);
  }
  const problems: string[] = [];
  const base = dirname(path);
  const secret = (value: { env: string }, key: string): string => {
    const v = env[value.env];
    if (!v) problems.push(`${key}: environment variable ${value.env} is not set`);
    return v ?? '';
  };
  const duration = (value: unknown, fallback: number, key: string): number => {
    if (value === undefined) return fallback;
    const ms = parseDuration(value as string | number);
    if (ms === undefined || ms <= 0) problems.push(`${key} is not a duration (write 30s, 1h, 7d)`);
    return ms ?? fallback;
  };
  const signers = (raw['signing'].keys as { env: string }[]).flatMap((k, i) => {
    const pem = secret(k, `signing.keys[${i}]`);
    if (!pem) return [];
    const parsed = parsePrivateKey(pem);
    if (!parsed.ok) {
      problems.push(`signing.keys[${i}]: $${k.env} is not an Ed25519 private key (${parsed.code})`);
      return [];
    }
    return [{ key: parsed.key, keyid: parsed.keyid }];
  });
  const expiresInMs = duration(raw['bundle']?.expires_in, 7 * 86_400_000, 'bundle.expires_in');
  const resignEveryMs = duration(raw['bundle']?.resign_every, Math.min(86_400_000, expiresInMs / 2), 'bundle.resign_every');
  if (resignEveryMs >= expiresInMs) problems.push('bundle.resign_every must be shorter than bundle.expires_in, or proxies run on expired bundles between runs');
  const pkg = raw['publish'].package;
  const config: CompilerServiceConfig = {
    listen: { host: raw['listen']?.host ?? '127.0.0.1', port: raw['listen']?.port ?? 8080 },
    gitlab: { url: String(raw['gitlab'].url).replace(/\/+$/, ''), token: secret(raw['gitlab'].token, 'gitlab.token'), timeoutMs: duration(raw['gitlab'].timeout, 30_000, 'gitlab.timeout') },
    webhookTokens: (raw['webhook'].tokens as { env: string }[]).map((t, i) => secret(t, `webhook.tokens[${i}]`)).filter(Boolean),
    dedupeSize: raw['webhook'].dedupe_size ?? 10_000,
    policy: { project: raw['policy'].project, file: raw['policy'].file ?? 'ai-policy.yml', ref: raw['policy'].ref },
    group: raw['scope']?.group,
    signers,
    expiresInMs,
    resignEveryMs,
    fullSyncEveryMs: duration(raw['bundle']?.full_sync_every, 3_600_000, 'bundle.full_sync_every'),
    publish: {
      dir: resolve(base, raw['publish'].dir),
      keep: raw['publish'].keep ?? 50,
      readerTokens: ((raw['publish'].reader_tokens ?? []) as { env: string }[]).map((t, i) => secret(t, `publish.reader_tokens[${i}]`)).filter(Boolean),
      package: pkg ? { project: pkg.project, name: pkg.name ?? 'aigate-bundle' } : undefined,
    },
    mergeRequests: { enabled: raw['merge_requests']?.enabled ?? true, statusName: raw['merge_requests']?.status_name ?? 'aigate/policy' },
    concurrency: raw['queue']?.concurrency ?? 4,
    stateDir: resolve(base, raw['state_dir'] ?? '.aigate-state/compiler'),
  };
  if (problems.length > 0) throw new UsageError(`aigate compiler: invalid configuration ${file}:\n  ${problems.join('\n  ')}`);
  return config;
}
