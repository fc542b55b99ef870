import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { fromPointer } from '../diagnostics.ts';
import type { PolicyKind } from './schema-registry.ts';
import { validatePolicy } from './validate-policy.ts';

const BASE: Record<PolicyKind, unknown> = {
  aiconfig: {
    ai_access: { enabled: true, allowed_providers: ['anthropic', 'github'], exclude: ['*.sql', 'migrations/'], redact_patterns: ['KEY.+', { id: 'x', pattern: 'x+', replacement: '[x]' }], max_file_size: '10kb' },
  },
  'org-policy': {
    version: 1,
    providers: { anthropic: { enabled: true }, 'gitlab-duo': { enabled: false } },
    blocked_repos: ['*/secrets-*'],
    exclude: ['.env'],
    redaction_rules: [{ id: 'r', pattern: 'r+', replacement: 'R' }],
    rate_limits: { per_user: 10, per_repo: 20 },
    audit: { retention_days: 90 },
    groups: [{ namespace: 'p/**', providers: ['anthropic'], exclude: ['y'], max_file_size: 100 }],
  },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every container path and leaf path in a JSON value. */
function paths(value: Json, prefix: Path = []): { containers: Path[]; leaves: Path[] } {
  const out = { containers: [] as Path[], leaves: [] as Path[] };
  if (value !== null && typeof value === 'object') {
    out.containers.push(prefix);
    const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [k, v] of entries) {
      out.leaves.push([...prefix, k]);
      const sub = paths(v, [...prefix, k]);
      out.containers.push(...sub.containers);
      out.leaves.push(...sub.leaves);
    }
  }
  return out;
}

function getAt(root: Json, path: readonly (string | number)[]): Json | undefined {
  let node: Json | undefined = root;
  for (const k of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, Json>)[k] : undefined;
  return node;
}

function setAt(root: Json, path: Path, value: Json | undefined): void {
  const parent = getAt(root, path.slice(0, -1));
  const key = path.at(-1);
  if (parent === null || typeof parent !== 'object' || key === undefined) return;
  if (value === undefined) {
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete (parent as Record<string, Json>)[key];
  } else {
    (parent as Record<string | number, Json>)[key] = structuredClone(value);
  }
}

const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.boolean(), fc.constantFrom('yes', 'antropic', 'x y', ''), fc.constant(null));
const wrong = fc.oneof(scalar, fc.constant([1]), fc.constant({ zz: 1 }));

const mutation = fc.oneof(
  fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key: fc.constantFrom('exlude', 'extra', 'Enabled', 'pattern2', 'copilot') }),
  fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: wrong }),
  fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }),
);

const style = fc.oneof(
  fc.record({ json: fc.constant(true as const), indent: fc.constantFrom(0, 2) }),
  fc.record({
    json: fc.constant(false as const),
    defaultStringType: fc.constantFrom('PLAIN' as const, 'QUOTE_DOUBLE' as const, 'QUOTE_SINGLE' as const),
    collectionStyle: fc.constantFrom('block' as const, 'flow' as const, 'any' as const),
    indent: fc.constantFrom(2, 4),
  }),
);

type Mutation = { readonly op: 'add' | 'replace' | 'remove'; readonly pick: number; readonly key?: string; readonly value?: unknown };

function mutate(base: unknown, mutations: readonly Mutation[]): Json {
  const doc = structuredClone(base) as Json;
  for (const m of mutations) {
    const { containers, leaves } = paths(doc);
    if (m.op === 'add') {
      const objects = containers.filter((p) => { const n = getAt(doc, p); return n !== null && typeof n === 'object' && !Array.isArray(n); });
      const target = objects[m.pick % objects.length];
      if (target) setAt(doc, [...target, m.key ?? 'extra'], 1);
    } else if (leaves.length > 0) {
      const target = leaves[m.pick % leaves.length]!;
      setAt(doc, target, m.op === 'replace' ? (m.value as Json) : undefined);
    }
  }
  return doc;
}

/** Where a diagnostic must point, judged from the text alone: the key, or the start of the value. */
function pointsAtOffender(text: string, offset: number, code: string, pointer: string, doc: Json): boolean {
  const rest = text.slice(offset);
  const segments = fromPointer(pointer);
  const keyLike = code === 'schema_unknown_property' || code === 'schema_missing_property' || (code === 'unknown_provider' && !/\/\d+$/.test(pointer));
  if (keyLike) {
    const key = segments.at(-1);
    if (key === undefined) return offset === 0 || /^\s*$/.test(text.slice(0, offset));
    // A key in an array item has no key text: it is the item itself.
    if (/^\d+$/.test(key)) return /^["'{[\-]|^\S/.test(rest);
    return [key, `"${key}"`, `'${key}'`].some((k) => rest.startsWith(k));
  }
  const value = getAt(doc, segments.map((s) => s));
  if (value === null || value === undefined) return /^(?:null|~|\S|$)/.test(rest) || rest.startsWith('\n');
  if (typeof value === 'string') return value === '' ? /^(?:""|'')/.test(rest) || /^\S/.test(rest) : [value[0], '"', "'"].some((c) => c !== undefined && rest.startsWith(c));
  if (typeof value === 'number' || typeof value === 'boolean') return rest.startsWith(String(value));
  if (Array.isArray(value)) return rest.startsWith('[') || rest.startsWith('-');
  const first = Object.keys(value)[0];
  return rest.startsWith('{') || (first !== undefined && [first, `"${first}"`, `'${first}'`].some((k) => rest.startsWith(k)));
}

function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1; i++) offset += (lines[i] ?? '').length + 1;
  return offset + column - 1;
}

describe('schema diagnostics of generated invalid documents', () => {
  it.each(['aiconfig', 'org-policy'] as const)('point at the offending key or value in %s files', (kind) => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), style, (mutations, s) => {
        const doc = mutate(BASE[kind], mutations);
        const text = s.json ? JSON.stringify(doc, null, s.indent) : stringify(doc, { defaultStringType: s.defaultStringType, collectionStyle: s.collectionStyle, indent: s.indent });
        const result = validatePolicy(kind, 'f', text);
        const lines = text.split('\n');
        for (const d of result.diagnostics) {
          if (!d.code.startsWith('schema_') && d.code !== 'unknown_provider') continue;
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeLessThanOrEqual((lines[d.line - 1] ?? '').length + 1);
          const offset = offsetOf(text, d.line, d.column);
          expect(pointsAtOffender(text, offset, d.code, d.pointer, doc), `${d.code} ${d.pointer} at ${d.line}:${d.column} in\n${text}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('finds a schema error in every document that breaks the schema', () => {
    const result = validatePolicy('aiconfig', 'f', stringify({ ai_access: { enabled: 'no' } }));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['schema_type']);
  });
});
