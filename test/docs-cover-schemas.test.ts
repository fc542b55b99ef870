import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import aiconfigSchema from '../schemas/aiconfig.schema.json' with { type: 'json' };
import orgPolicySchema from '../schemas/org-policy.schema.json' with { type: 'json' };
import { schemaProperties } from '../schemas/schema-walk.ts';

const DOCS = [
  { doc: 'docs/aiconfig.md', schema: aiconfigSchema },
  { doc: 'docs/org-policy.md', schema: orgPolicySchema },
] as const;

describe.each(DOCS)('$doc', ({ doc, schema }) => {
  const text = readFileSync(doc, 'utf8');
  const headings = new Set([...text.matchAll(/^#{2,4} `([^`]+)`$/gm)].map((m) => m[1]));

  it('documents every schema property under its own heading', () => {
    const missing = schemaProperties(schema)
      .map((p) => p.path)
      .filter((path) => !headings.has(path));
    expect(missing).toEqual([]);
  });

  it('documents nothing the schema does not have', () => {
    const known = new Set(schemaProperties(schema).map((p) => p.path));
    expect([...headings].filter((h) => h !== undefined && !known.has(h) && !h.includes(' '))).toEqual([]);
  });
});
