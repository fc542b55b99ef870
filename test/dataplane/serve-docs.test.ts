import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DATAPLANE_CODES } from '../../dataplane/codes.ts';
import dataplaneConfigSchema from '../../schemas/dataplane-config.schema.json' with { type: 'json' };
import { schemaProperties } from '../../schemas/schema-walk.ts';

const text = readFileSync('docs/dataplane.md', 'utf8');

describe('docs/dataplane.md', () => {
  const headings = new Set([...text.matchAll(/^#{2,4} `([^`]+)`$/gm)].map((m) => m[1]));

  it('documents every configuration key of the schema under its own heading', () => {
    const missing = schemaProperties(dataplaneConfigSchema).map((p) => p.path).filter((path) => !headings.has(path));
    expect(missing).toEqual([]);
  });

  it('documents no configuration key the schema does not have', () => {
    const known = new Set(schemaProperties(dataplaneConfigSchema).map((p) => p.path));
    expect([...headings].filter((h) => h !== undefined && !known.has(h) && !h.includes(' '))).toEqual([]);
  });

  it('lists every error code with the HTTP status the proxy answers', () => {
    const rows = new Map([...text.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]));
    const expected = Object.fromEntries(Object.entries(DATAPLANE_CODES).map(([code, info]) => [code, info.status]));
    expect(Object.fromEntries([...rows].filter(([code]) => code !== undefined && Object.hasOwn(DATAPLANE_CODES, code)))).toEqual(expected);
    expect([...rows.keys()].filter((code) => code !== undefined && !Object.hasOwn(DATAPLANE_CODES, code))).toEqual([]);
  });
});
