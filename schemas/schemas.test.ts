import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../compiler/validate/schema-registry.ts';
import { PROVIDER_IDS } from '../policy/providers.ts';
import { GENERATED, generateValidator } from '../scripts/gen-validators.ts';
import aiconfigSchema from './aiconfig.schema.json' with { type: 'json' };
import orgPolicySchema from './org-policy.schema.json' with { type: 'json' };
import type { AiconfigV1, OrgPolicyV1 } from './policy-types.ts';
import { objectSchemas, schemaProperties } from './schema-walk.ts';

const SCHEMAS = { aiconfig: aiconfigSchema, 'org-policy': orgPolicySchema } as const;

// Fully populated documents, typed with the TypeScript interfaces: a schema property missing from
// the types fails the type check here, and one missing from these examples fails the coverage test.
const FULL_AICONFIG: AiconfigV1 = {
  ai_access: {
    enabled: true,
    allowed_providers: ['anthropic'],
    exclude: ['*.sql'],
    redact_patterns: [{ id: 'x', pattern: 'x+', replacement: '[x]' }],
    max_file_size: '10kb',
  },
};
const FULL_ORG: OrgPolicyV1 = {
  version: 1,
  providers: { anthropic: { enabled: true }, openai: { enabled: false }, github: { enabled: true }, codeium: { enabled: false }, 'gitlab-duo': { enabled: true } },
  blocked_repos: ['*/secrets-*'],
  require_config_file: true,
  unscoped_requests: 'deny',
  exclude: ['.env'],
  redaction_rules: [{ id: 'r', pattern: 'r+', replacement: 'R', description: 'd' }],
  builtin_rules: { enabled: true, disable: ['generic-password'] },
  max_file_size: 1000,
  rate_limits: { per_user: 1, per_repo: 2, strict: true },
  audit: { retention_days: 90 },
  groups: [{ namespace: 'p/**', description: 'd', providers: ['gitlab-duo'], exclude: ['x'], redaction_rules: [{ pattern: 'y+' }], max_file_size: '1kb', rate_limits: { per_user: 1 } }],
};

function hasPath(value: unknown, path: string): boolean {
  let nodes: unknown[] = [value];
  for (const part of path.split('.')) {
    const [key, ...arrays] = part.split('[]');
    nodes = nodes.map((n) => (n as Record<string, unknown> | undefined)?.[key ?? '']).filter((n) => n !== undefined);
    for (let i = 0; i < arrays.length; i++) nodes = nodes.flatMap((n) => (Array.isArray(n) ? n : []));
  }
  return nodes.length > 0;
}

describe.each(Object.entries(SCHEMAS))('schemas/%s.schema.json', (kind, schema) => {
  it('gives every property a description', () => {
    const missing = schemaProperties(schema).filter((p) => typeof p.schema['description'] !== 'string' || !p.schema['description']);
    expect(missing.map((p) => p.path)).toEqual([]);
  });

  it('closes every object with additionalProperties: false', () => {
    const open = objectSchemas(schema).filter((o) => o.schema['additionalProperties'] !== false);
    expect(open.map((o) => o.path)).toEqual([]);
  });

  it('uses draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('is what the generated validator was built from (run "npm run gen" after editing a schema)', () => {
    const entry = GENERATED.find((g) => g.schema === schema);
    expect(entry).toBeDefined();
    expect(readFileSync(entry!.file, 'utf8')).toBe(generateValidator(schema, entry!.name));
  });

  it('is fully covered by the TypeScript types', () => {
    const full = kind === 'aiconfig' ? FULL_AICONFIG : FULL_ORG;
    expect(validateAgainstSchema(kind as 'aiconfig' | 'org-policy', full)).toEqual([]);
    const uncovered = schemaProperties(schema).filter((p) => !hasPath(full, p.path));
    expect(uncovered.map((p) => p.path)).toEqual([]);
  });
});

describe('provider ids', () => {
  it('are the same in the kernel and in both schemas', () => {
    expect(aiconfigSchema.$defs.provider.enum).toEqual([...PROVIDER_IDS]);
    expect(orgPolicySchema.$defs.provider.enum).toEqual([...PROVIDER_IDS]);
    expect(Object.keys(orgPolicySchema.$defs.providerMap.properties)).toEqual([...PROVIDER_IDS]);
  });
});

describe('examples', () => {
  it('validate against their schemas', () => {
    expect(validateAgainstSchema('aiconfig', parse(readFileSync('examples/.aiconfig', 'utf8')))).toEqual([]);
    expect(validateAgainstSchema('org-policy', parse(readFileSync('examples/ai-policy.yml', 'utf8')))).toEqual([]);
  });
});
