import { createHash } from 'node:crypto';

/** Git's object id: SHA-1 over `<type> <size>\0<body>`, so blob ids match what a real GitLab returns. */
export function gitObjectSha(type: 'blob' | 'tree' | 'commit', body: Buffer): string {
  return createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}

export function blobSha(content: Buffer): string {
  return gitObjectSha('blob', content);
}

interface Dir {
  readonly dirs: Map<string, Dir>;
  readonly blobs: Map<string, string>;
}

/**
 * Ids of every tree of a snapshot, keyed by directory path ('' = root). Computed the way git
 * does (entries sorted with directories compared as `name/`), so tree ids are real git ids.
 */
export function treeShas(files: ReadonlyMap<string, Buffer>): Map<string, string> {
  const root: Dir = { dirs: new Map(), blobs: new Map() };
  for (const [path, content] of files) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let next = dir.dirs.get(part);
      if (!next) dir.dirs.set(part, (next = { dirs: new Map(), blobs: new Map() }));
      dir = next;
    }
    dir.blobs.set(parts[parts.length - 1] ?? '', blobSha(content));
  }
  const out = new Map<string, string>();
  hashDir(root, '', out);
  return out;
}

function hashDir(dir: Dir, path: string, out: Map<string, string>): string {
  const entries: { key: Buffer; bytes: Buffer }[] = [];
  for (const [name, child] of dir.dirs) {
    const sha = hashDir(child, path === '' ? name : `${path}/${name}`, out);
    entries.push({ key: Buffer.from(`${name}/`), bytes: entry('40000', name, sha) });
  }
  for (const [name, sha] of dir.blobs) entries.push({ key: Buffer.from(name), bytes: entry('100644', name, sha) });
  entries.sort((a, b) => Buffer.compare(a.key, b.key));
  const sha = gitObjectSha('tree', Buffer.concat(entries.map((e) => e.bytes)));
  out.set(path, sha);
  return sha;
}

function entry(mode: string, name: string, sha: string): Buffer {
  return Buffer.concat([Buffer.from(`${mode} ${name}\0`), Buffer.from(sha, 'hex')]);
}

export interface CommitFields {
  readonly tree: string;
  readonly parent: string | null;
  readonly authorName: string;
  readonly authorEmail: string;
  readonly time: number;
  readonly message: string;
}

export function commitSha(c: CommitFields): string {
  const who = `${c.authorName} <${c.authorEmail}> ${c.time} +0000`;
  const lines = [`tree ${c.tree}`, ...(c.parent ? [`parent ${c.parent}`] : []), `author ${who}`, `committer ${who}`, '', c.message];
  return gitObjectSha('commit', Buffer.from(`${lines.join('\n')}\n`));
}

/** Git's heuristic: a NUL byte in the first 8000 bytes means binary. */
export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}
