import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { compilerCommand } from '../../compiler/service/compiler-command.ts';
import { loadServiceConfig } from '../../compiler/service/service-config.ts';
import { generateSigningKeyPair } from '../../policy/keys.ts';
import compilerConfigSchema from '../../schemas/compiler-config.schema.json' with { type: 'json' };
import { GENERATED, generateValidator } from '../../scripts/gen-validators.ts';
import { objectSchemas, schemaProperties } from '../../schemas/schema-walk.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const CONFIG = `listen: { host: 127.0.0.1, port: 0 }
gitlab: { url: https://gitlab.example.com/, token: { env: GL_TOKEN } }
webhook: { tokens: [{ env: HOOK_A }, { env: HOOK_B }] }
policy: { project: security/ai-policy }
scope: { group: acme }
signing: { keys: [{ env: SIGNING_KEY }] }
bundle: { expires_in: 7d, resign_every: 12h }
publish: { dir: bundles, reader_tokens: [{ env: READER }], package: { project: security/ai-policy } }
state_dir: state
`;

describe('compiler.yml', () => {
  const key = generateSigningKeyPair();
  const env = { GL_TOKEN: 'glpat-x', HOOK_A: 'a', HOOK_B: 'b', SIGNING_KEY: key.privateKeyPem, READER: 'r' };

  it('reads secrets from the environment and resolves paths against the file', () => {
    const dir = tempDir({ 'compiler.yml': CONFIG });
    const config = loadServiceConfig('compiler.yml', env, dir);
    expect(config).toMatchObject({
      gitlab: { url: 'https://gitlab.example.com', token: 'glpat-x' },
      webhookTokens: ['a', 'b'],
      policy: { project: 'security/ai-policy', file: 'ai-policy.yml' },
      group: 'acme',
      expiresInMs: 7 * 86_400_000,
      resignEveryMs: 12 * 3_600_000,
      publish: { dir: join(dir, 'bundles'), readerTokens: ['r'], package: { project: 'security/ai-policy', name: 'aigate-bundle' } },
      stateDir: join(dir, 'state'),
    });
    expect(config.signers[0]?.keyid).toBe(key.keyid);
  });

  it('names missing variables and schema mistakes, never a secret value', () => {
    const dir = tempDir({ 'compiler.yml': CONFIG, 'bad.yml': `${CONFIG}extra: 1\n` });
    const broken = () => loadServiceConfig('compiler.yml', { ...env, HOOK_B: undefined, SIGNING_KEY: 'not a key' }, dir);
    expect(broken).toThrow(/webhook.tokens\[1\]: environment variable HOOK_B is not set/);
    expect(broken).toThrow(/signing.keys\[0\]: \$SIGNING_KEY is not an Ed25519 private key/);
    expect(() => loadServiceConfig('bad.yml', env, dir)).toThrow(/must NOT have additional properties "extra"/);
    try {
      loadServiceConfig('compiler.yml', { ...env, HOOK_A: undefined }, dir);
    } catch (error) {
      expect((error as Error).message).not.toContain('glpat-x');
    }
  });

  it('has a fresh generated validator, descriptions everywhere and closed objects', () => {
    const entry = GENERATED.find((g) => g.schema === compilerConfigSchema);
    expect(entry).toBeDefined();
    expect(readFileSync(entry!.file, 'utf8')).toBe(generateValidator(compilerConfigSchema, entry!.name));
    expect(schemaProperties(compilerConfigSchema).filter((p) => !p.schema['description']).map((p) => p.path)).toEqual([]);
    expect(objectSchemas(compilerConfigSchema).filter((o) => o.schema['additionalProperties'] !== false).map((o) => o.path)).toEqual([]);
    const docs = readFileSync('docs/compiler-service.md', 'utf8');
    expect(schemaProperties(compilerConfigSchema).map((p) => p.path).filter((p) => !docs.includes(`\`${p}\``))).toEqual([]);
  });

  it('aigate compiler without a subcommand prints usage; serve needs --config', async () => {
    const io = bufferIo();
    expect(await compilerCommand([], io)).toBe(2);
    expect(io.out()).toContain('aigate compiler serve --config compiler.yml');
    await expect(compilerCommand(['serve'], bufferIo())).rejects.toThrow(/--config compiler.yml is required/);
    await expect(compilerCommand(['build'], bufferIo())).rejects.toThrow(/unknown subcommand "build"/);
  });
});
