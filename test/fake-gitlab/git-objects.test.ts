import { describe, expect, it } from 'vitest';
import { blobSha, isBinary, treeShas } from './git-objects.ts';
import { parseFixtures } from './fixtures-file.ts';
import { unifiedDiff } from './unified-diff.ts';

describe('fake gitlab: git object ids', () => {
  it('matches git for blobs and trees', () => {
    expect(blobSha(Buffer.alloc(0))).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(blobSha(Buffer.from('hello world\n'))).toBe('3b18e512dba79e4c8300dd08aeb37f8e728b8dad');
    expect(treeShas(new Map()).get('')).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
    // `git mktree` for one empty file `a` at the root.
    expect(treeShas(new Map([['a', Buffer.alloc(0)]])).get('')).toBe('496d6428b9cf92981dc9495211e6e1120fb6f2ba');
  });

  it('treats NUL bytes as binary', () => {
    expect(isBinary(Buffer.from([0x89, 0x50, 0x00]))).toBe(true);
    expect(isBinary(Buffer.from('text'))).toBe(false);
  });
});

describe('fake gitlab: unified diff', () => {
  it('prints hunks like git, including a missing final newline', () => {
    expect(unifiedDiff('a\nb\nc\n', 'a\nB\nc\n')).toBe('@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n');
    expect(unifiedDiff('', 'x\n')).toBe('@@ -0,0 +1 @@\n+x\n');
    expect(unifiedDiff('x', 'x\n')).toBe('@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n');
    const long = Array.from({ length: 20 }, (_, i) => `l${i}`);
    const changed = long.map((l, i) => (i === 1 || i === 18 ? `${l}!` : l));
    expect(unifiedDiff(`${long.join('\n')}\n`, `${changed.join('\n')}\n`).match(/^@@/gm)).toHaveLength(2);
  });
});

describe('fake gitlab: fixtures file', () => {
  it('names every problem with its path', () => {
    expect(() => parseFixtures('users: [{ id: 1, username: a }]\ntokens: []\nprojects: [{ id: 1, path: a/b, visibility: secret, filez: {} }]\n')).toThrow(
      /users\[0\]\.email: missing or invalid[\s\S]*projects\[0\]\.visibility: missing or invalid[\s\S]*projects\[0\]\.filez: unknown field/,
    );
  });

  it('reads !!binary as bytes', () => {
    const f = parseFixtures('users: []\ntokens: []\nprojects: [{ id: 1, path: a/b, visibility: public, files: { x.bin: !!binary AAEC } }]\n');
    expect(f.projects[0]?.files?.['x.bin']).toBeInstanceOf(Uint8Array);
    expect([...(f.projects[0]?.files?.['x.bin'] as Uint8Array)]).toEqual([0, 1, 2]);
  });
});
