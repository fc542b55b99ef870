import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from '../../policy/decide.ts';
import { normalizePath } from '../../policy/paths.ts';
import { activeFixture } from '../helpers/policy-fixtures.ts';

/** Each exclusion glob with a path it excludes. */
const EXCLUDED: readonly (readonly [string, string])[] = [
  ['*.sql', 'db/schema.sql'],
  ['migrations/', 'app/migrations/001_init.rb'],
  ['secrets/**', 'secrets/prod/db.yml'],
  ['.env', 'services/api/.env'],
  ['docs/architecture/security-design.md', 'docs/architecture/security-design.md'],
  ['**/fixtures/*.json', 'test/fixtures/cards.json'],
  ['*.pem', 'certs/server.pem'],
];

const NOW = Date.now();
const bundle = activeFixture(
  'providers: {anthropic: {enabled: true}}\nrequire_config_file: true\n',
  [{ id: 1, path: 'team/app', aiconfig: `ai_access:\n  enabled: true\n  exclude: ${JSON.stringify(EXCLUDED.map(([g]) => g))}\n` }],
  { now: NOW },
);

const percent = (c: string, upper: boolean) =>
  [...Buffer.from(c)].map((b) => `%${upper ? b.toString(16).padStart(2, '0').toUpperCase() : b.toString(16).padStart(2, '0')}`).join('');

/** Ways to spell the same path differently; each takes the path and a random choice stream. */
const respell = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constant('case' as const), seed: fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }) }),
    fc.record({ kind: fc.constantFrom('dot-prefix' as const, 'slash-prefix' as const, 'trailing-slash' as const, 'backslashes' as const) }),
    fc.record({ kind: fc.constantFrom('double-slash' as const, 'dot-segment' as const, 'encoded-slash' as const, 'encoded-char' as const, 'upper-encoded-slash' as const), at: fc.nat() }),
  ),
  { minLength: 1, maxLength: 5 },
);

type Step = { kind: string; seed?: boolean[]; at?: number };

function apply(path: string, steps: readonly Step[]): string {
  let p = path;
  for (const step of steps) {
    const slashes = [...p].flatMap((c, i) => (c === '/' ? [i] : []));
    const pick = (list: number[]) => (list.length ? list[(step.at ?? 0) % list.length] : undefined);
    switch (step.kind) {
      case 'case':
        p = [...p].map((c, i) => (step.seed![i % step.seed!.length] ? c.toUpperCase() : c.toLowerCase())).join('');
        break;
      case 'dot-prefix':
        p = `./${p}`;
        break;
      case 'slash-prefix':
        p = `/${p}`;
        break;
      case 'trailing-slash':
        p = `${p}/`;
        break;
      case 'backslashes':
        p = p.replaceAll('/', '\\');
        break;
      case 'double-slash':
      case 'dot-segment':
      case 'encoded-slash':
      case 'upper-encoded-slash': {
        const i = pick(slashes);
        if (i === undefined) break;
        const replacement = { 'double-slash': '//', 'dot-segment': '/./', 'encoded-slash': '%2f', 'upper-encoded-slash': '%2F' }[step.kind];
        p = `${p.slice(0, i)}${replacement}${p.slice(i + 1)}`;
        break;
      }
      case 'encoded-char': {
        const i = (step.at ?? 0) % p.length;
        const c = p[i]!;
        // Encoding a "%" would change the path's meaning, not its spelling.
        if (c !== '%' && !p.includes('%')) p = `${p.slice(0, i)}${percent(c, (step.at ?? 0) % 2 === 1)}${p.slice(i + 1)}`;
        break;
      }
    }
  }
  return p;
}

describe('no spelling of an excluded path escapes its exclusion', () => {
  it('denies every respelling (case, ./, //, /./, %-encoding, backslashes, trailing slash)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EXCLUDED), respell, ([, path], steps) => {
        const spelled = apply(path, steps);
        const d = decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', file: spelled, now: NOW });
        expect(d.allow, `"${spelled}" (from ${path}) was allowed`).toBe(false);
        if (!d.allow) expect(['file_excluded', 'path_invalid']).toContain(d.reason);
        const normalized = normalizePath(spelled);
        if (normalized.ok) expect(normalized.path.toLowerCase()).toBe(path.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });

  it('allows the unexcluded neighbours, so the test above is not vacuous', () => {
    for (const file of ['db/schema.sqlite', 'app/migration.rb', 'docs/secrets/x.md', 'services/api/.env.example']) {
      expect(decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', file, now: NOW }).allow, file).toBe(true);
    }
  });

  it('refuses traversal spellings outright', () => {
    for (const file of ['../team/app/db/schema.sql', 'x/%2e%2e/db/schema.sql', 'x/..%2Fdb/schema.sql', 'x\\..\\db\\schema.sql', 'db/schema.sql%00.txt']) {
      const d = decide(bundle, { project: { id: 1, path: 'team/app' }, provider: 'anthropic', file, now: NOW });
      expect(d.allow, file).toBe(false);
    }
  });
});
