import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair } from '../../policy/keys.ts';
import { ConfigError, loadDataplaneConfig } from './load-config.ts';

function write(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aigate-config-'));
  writeFileSync(join(dir, 'trusted.pub'), generateSigningKeyPair().publicKeyPem);
  writeFileSync(join(dir, 'aigate.yml'), yaml);
  return { dir, file: join(dir, 'aigate.yml') };
}

const BASE = `gitlab: { url: https://gitlab.example.com }
bundle: { file: bundle.json, trusted_keys: [trusted.pub] }
`;

describe('loadDataplaneConfig: providers', () => {
  it('resolves upstreams with keys from the environment, defaults and model routes', () => {
    const { dir, file } = write(`${BASE}providers:
  anthropic:
    base_url: https://api.anthropic.example/
    api_keys: [{ env: K1 }, { env: K2 }]
    models: [claude-x]
    first_byte_timeout: 30s
  openai:
    base_url: http://127.0.0.1:9999/prefix
    api_keys: [{ env: K3 }]
proxy: { max_body_size: 1mb, model_routes: { "ft-*": openai } }
`);
    const config = loadDataplaneConfig(file, {}, { K1: 'sk-one', K2: 'sk-two', K3: 'sk-three' }, dir);
    expect(config.providers.anthropic).toMatchObject({ baseUrl: 'https://api.anthropic.example', keys: ['sk-one', 'sk-two'], auth: 'x-api-key', firstByteTimeoutMs: 30_000, models: ['claude-x'] });
    expect(config.providers.openai).toMatchObject({ baseUrl: 'http://127.0.0.1:9999/prefix', auth: 'bearer', connectTimeoutMs: 10_000 });
    expect(config.proxy.maxBodyBytes).toBe(1_000_000);
    expect(config.proxy.modelRoutes.slice(0, 2)).toEqual([{ pattern: 'ft-*', provider: 'openai' }, { pattern: 'claude-x', provider: 'anthropic' }]);
    expect(config.rateLimits).toEqual({ store: 'memory', redisDown: 'strict-closed' });
  });

  it('names a missing key variable, never a value, and refuses inline keys with a position', () => {
    const { dir, file } = write(`${BASE}providers:\n  openai:\n    base_url: https://api.openai.com\n    api_keys: [{ env: MISSING_KEY }]\n`);
    expect(() => loadDataplaneConfig(file, {}, {}, dir)).toThrow(/providers\.openai\.api_keys\[0\]: environment variable MISSING_KEY is not set/);
    const inline = write(`${BASE}providers:\n  openai:\n    base_url: https://api.openai.com\n    api_keys: ["sk-inline-secret"]\n`);
    try {
      loadDataplaneConfig(inline.file, {}, {}, inline.dir);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.join('\n')).toMatch(/aigate\.yml:6:\d+ \/providers\/openai\/api_keys\/0 must be object/);
      expect((error as ConfigError).message).not.toContain('sk-inline-secret');
    }
  });
});
