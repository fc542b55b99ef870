import { describe, expect, it } from 'vitest';
import { compileFileGlobs, compileProjectGlob, compileProjectGlobs, gitignorePatterns, pathAndAncestors } from './glob-match.ts';

describe('file globs have gitignore meaning, case-insensitively', () => {
  it.each([
    // [glob, path, matches]
    ['*.sql', 'schema.sql', true],
    ['*.sql', 'db/migrate/001.SQL', true],
    ['*.sql', 'schema.sqlite', false],
    ['migrations/', 'migrations/001.rb', true],
    ['migrations/', 'db/migrations/001.rb', true],
    ['migrations/', 'db/migrations', true],
    ['migrations/', 'db/migrations-old/x', false],
    ['docs/architecture/security-design.md', 'docs/architecture/security-design.md', true],
    ['docs/architecture/security-design.md', 'DOCS/Architecture/Security-Design.MD', true],
    ['docs/architecture/security-design.md', 'vendor/docs/architecture/security-design.md', false],
    ['.env', '.env', true],
    ['.env', 'services/api/.env', true],
    ['.env', '.env.example', false],
    ['.env*', '.env.production', true],
    ['*.key', '.ssh/deploy.key', true],
    ['secrets/', 'secrets/prod/db.yml', true],
    ['secrets/**', 'secrets/prod/db.yml', true],
    ['secrets/**', 'app/secrets/db.yml', false],
    ['**/fixtures/*.json', 'a/b/fixtures/x.json', true],
    ['**/fixtures/*.json', 'a/b/fixtures/deep/x.json', false],
    ['{a,b}.txt', 'x/b.txt', true],
    ['[jt]s/*.map', 'ts/app.map', true],
    ['*.pem', 'certs/server.pem/inner', true],
  ] as const)('%s vs %s → %s', (glob, path, expected) => {
    expect(compileFileGlobs([glob]).test(path)).toBe(expected);
  });

  it('reports which glob matched first', () => {
    const m = compileFileGlobs(['*.md', '*.sql', 'db/']);
    expect(m.firstMatch('db/x.sql')).toBe(1);
    expect(m.firstMatch('README.txt')).toBe(-1);
  });

  it('matches nothing when there are no globs', () => {
    expect(compileFileGlobs([]).test('anything')).toBe(false);
  });

  it('translates to picomatch patterns as documented', () => {
    expect(gitignorePatterns('*.sql')).toEqual(['**/*.sql', '**/*.sql/**']);
    expect(gitignorePatterns('migrations/')).toEqual(['**/migrations/**']);
    expect(gitignorePatterns('a/b.md')).toEqual(['a/b.md', 'a/b.md/**']);
  });

  it('refuses globs that could backtrack or escape, even if a bundle carries them', () => {
    expect(() => compileFileGlobs(['*a*a*a*a*b'])).toThrow(/unsafe glob/);
    expect(() => compileFileGlobs(['!keep.md'])).toThrow(/unsafe glob/);
    expect(() => compileFileGlobs(['../x'])).toThrow(/unsafe glob/);
  });
});

describe('project globs match the path or any ancestor namespace', () => {
  it.each([
    ['*/secrets-*', 'team/secrets-db', true],
    ['*/secrets-*', 'team/secrets-db/tools', true],
    ['*/secrets-*', 'team/sub/secrets-db', false],
    ['**/secrets-*', 'team/sub/secrets-db', true],
    ['compliance/*', 'compliance/audit', true],
    ['compliance/*', 'Compliance/Audit/Tools', true],
    ['compliance/*', 'compliance', false],
    ['compliance', 'compliance/audit', true],
    ['payments/**', 'payments/api', true],
    ['payments/**', 'payments-legacy/api', false],
    ['*/production-keys', 'ops/Production-Keys', true],
  ] as const)('%s vs %s → %s', (glob, path, expected) => {
    expect(compileProjectGlob(glob)(path)).toBe(expected);
  });

  it('gives the index of the first matching glob', () => {
    expect(compileProjectGlobs(['a/*', 'b/**', 'b']).firstMatch('b/c/d')).toBe(1);
  });

  it('lists ancestors from the top', () => {
    expect(pathAndAncestors('a/b/c')).toEqual(['a', 'a/b', 'a/b/c']);
  });
});
