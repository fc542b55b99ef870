import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError, loadDataplaneConfig } from '../../dataplane/config/load-config.ts';
import { generateSigningKeyPair } from '../../policy/keys.ts';
import { validateDataplaneConfig } from '../../schemas/generated/dataplane-config.validate.js';
import { tempDir } from '../helpers/temp-dir.ts';

const EXAMPLE = readFileSync('examples/aigate.yml', 'utf8');
const SECRETS = { AIGATE_BUNDLE_TOKEN: 'bundle-token-example', ANTHROPIC_API_KEY: 'anthropic-key-1', ANTHROPIC_API_KEY_2: 'anthropic-key-2', OPENAI_API_KEY: 'openai-key-1' };

/** The example in a directory of its own with the key and certificate files it names. */
function exampleDir(): string {
  const dir = tempDir({ 'aigate.yml': EXAMPLE });
  mkdirSync(join(dir, 'keys'));
  mkdirSync(join(dir, 'tls'));
  for (const name of ['aigate-signing-2026.pub', 'aigate-signing-2025.pub']) writeFileSync(join(dir, 'keys', name), generateSigningKeyPair().publicKeyPem);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'tls/aigate.key'), '-out', join(dir, 'tls/aigate.crt'), '-days', '1', '-subj', '/CN=aigate.example.com'], { stdio: 'ignore' });
  return dir;
}

describe('examples/aigate.yml', () => {
  it('matches the schema', () => {
    const valid = validateDataplaneConfig(parse(EXAMPLE));
    expect(validateDataplaneConfig.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('loads as aigate serve would, with its secrets from the environment', () => {
    const dir = exampleDir();
    const config = loadDataplaneConfig('aigate.yml', {}, SECRETS, dir);
    expect(config.listen).toEqual({ host: '0.0.0.0', port: 8443 });
    expect(config.tls).toEqual({ certFile: join(dir, 'tls/aigate.crt'), keyFile: join(dir, 'tls/aigate.key') });
    expect(config.bundle).toMatchObject({ kind: 'url', authToken: SECRETS.AIGATE_BUNDLE_TOKEN, pollMs: 30_000 });
    expect(config.bundle.kind === 'url' && config.bundle.trustedKeys.length).toBe(2);
    expect(config.providers.anthropic?.keys).toEqual([SECRETS.ANTHROPIC_API_KEY, SECRETS.ANTHROPIC_API_KEY_2]);
    expect(config.cache).toEqual({ tokenTtlMs: 60_000, tokenNegativeTtlMs: 10_000, projectTtlMs: 60_000 });
  });

  it('names every secret variable that is missing, and no value', () => {
    const dir = exampleDir();
    let error: unknown;
    try {
      loadDataplaneConfig('aigate.yml', {}, { OPENAI_API_KEY: SECRETS.OPENAI_API_KEY }, dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['AIGATE_BUNDLE_TOKEN', 'ANTHROPIC_API_KEY', 'ANTHROPIC_API_KEY_2']) expect(problems).toContain(`environment variable ${name} is not set`);
    expect(problems).not.toContain(SECRETS.OPENAI_API_KEY);
  });
});
