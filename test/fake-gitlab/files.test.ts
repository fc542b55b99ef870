import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, P7, useFakeGitLab } from './test-helpers.ts';

const CONFIG = 'DATABASE_HOST = "db.internal"\npassword = "hunter2"\nDEBUG = False\n';
const gitBlobSha = (text: string | Buffer): string => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0`).update(text).digest('hex');
const X_GITLAB = ['blob-id', 'commit-id', 'content-sha256', 'encoding', 'file-name', 'file-path', 'last-commit-id', 'ref', 'size', 'execute-filemode'].map((h) => `x-gitlab-${h}`);
const files = (rest: string): string => `/api/v4/projects/${P7}/repository/files/${rest}`;

describe('fake gitlab: repository files', () => {
  const fake = useFakeGitLab();

  it('GET returns the file as base64 JSON with git ids and X-Gitlab-* headers', async () => {
    const res = await call(fake(), files('config.py?ref=main'), { token: 'alice-api-token' });
    expect(res.status).toBe(200);
    const body = res.json as Record<string, unknown>;
    const head = fake().state.project(7)?.repo.branches.get('main');
    expect(body).toEqual({
      file_name: 'config.py',
      file_path: 'config.py',
      size: CONFIG.length,
      encoding: 'base64',
      content: Buffer.from(CONFIG).toString('base64'),
      content_sha256: createHash('sha256').update(CONFIG).digest('hex'),
      ref: 'main',
      blob_id: gitBlobSha(CONFIG),
      commit_id: head,
      last_commit_id: head,
      execute_filemode: false,
    });
    for (const h of X_GITLAB) expect(res.headers.get(h), h).not.toBeNull();
    expect(res.headers.get('x-gitlab-blob-id')).toBe(gitBlobSha(CONFIG));
  });

  it('requires ref on the JSON route', async () => {
    const res = await call(fake(), files('config.py'), { token: 'alice-api-token' });
    expect([res.status, res.json]).toEqual([400, { error: 'ref is missing' }]);
  });

  it('answers Commit Not Found for an unknown ref and File Not Found for a missing or differently-cased path', async () => {
    expect((await call(fake(), files('config.py?ref=nope'), { token: 'alice-api-token' })).json).toEqual({ message: '404 Commit Not Found' });
    for (const name of ['missing.py', 'CONFIG.py']) {
      const res = await call(fake(), files(`${name}?ref=main`), { token: 'alice-api-token' });
      expect([res.status, res.json]).toEqual([404, { message: '404 File Not Found' }]);
    }
  });

  it('takes a nested file path only as one encoded segment', async () => {
    const encoded = await call(fake(), files(`${encodeURIComponent('docs/architecture/security-design.md')}?ref=main`), { token: 'alice-api-token' });
    expect(encoded.json).toMatchObject({ file_name: 'security-design.md', file_path: 'docs/architecture/security-design.md' });
    const plain = await call(fake(), files('docs/architecture/security-design.md?ref=main'), { token: 'alice-api-token' });
    expect([plain.status, plain.json]).toEqual([404, { error: '404 Not Found' }]);
  });

  it('HEAD answers headers only, errors without a body', async () => {
    const ok = await call(fake(), files('config.py?ref=main'), { token: 'alice-api-token', method: 'HEAD' });
    expect([ok.status, ok.text]).toEqual([200, '']);
    expect(ok.headers.get('x-gitlab-size')).toBe(String(CONFIG.length));
    expect(ok.headers.get('x-gitlab-encoding')).toBe('base64');
    const missing = await call(fake(), files('missing.py?ref=main'), { token: 'alice-api-token', method: 'HEAD' });
    expect([missing.status, missing.text]).toEqual([404, '']);
  });

  it('raw returns the bytes as text/plain with Content-Disposition and X-Gitlab-* headers; ref defaults to the default branch', async () => {
    const res = await call(fake(), files('config.py/raw'), { token: 'alice-api-token' });
    expect(res.status).toBe(200);
    expect(res.text).toBe(CONFIG);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="config.py"');
    for (const h of X_GITLAB) expect(res.headers.get(h), h).not.toBeNull();
    expect(res.headers.get('x-gitlab-ref')).toBe('main');
    const branch = await call(fake(), files(`${encodeURIComponent('src/app.py')}/raw?ref=${encodeURIComponent('feature/login')}`), { token: 'alice-api-token' });
    expect(branch.text).toContain('"login"');
    expect(branch.headers.get('x-gitlab-ref')).toBe('feature/login');
  });

  it('raw serves binary files byte for byte', async () => {
    const res = await fetch(`${fake().url}${files(`${encodeURIComponent('assets/logo.png')}/raw`)}`, { headers: { 'PRIVATE-TOKEN': 'alice-api-token' } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(res.headers.get('x-gitlab-blob-id')).toBe(gitBlobSha(bytes));
  });

  it('Guest on a private project: project 200, code 403', async () => {
    expect((await call(fake(), `/api/v4/projects/${P7}`, { token: 'bob-api-token' })).status).toBe(200);
    for (const path of [files('config.py?ref=main'), files('config.py/raw'), `/api/v4/projects/${P7}/repository/tree`]) {
      const res = await call(fake(), path, { token: 'bob-api-token' });
      expect([res.status, res.json], path).toEqual([403, { message: '403 Forbidden' }]);
    }
    fake().state.addMember(7, 'bob', 20);
    expect((await call(fake(), files('config.py/raw'), { token: 'bob-api-token' })).status).toBe(200);
  });

  it('invisible project: 404 Project Not Found on files', async () => {
    const res = await call(fake(), files('config.py/raw'), { token: 'erin-api-token' });
    expect([res.status, res.json]).toEqual([404, { message: '404 Project Not Found' }]);
  });

  it('public and internal code is readable without membership', async () => {
    expect((await call(fake(), '/api/v4/projects/oss%2Ftool/repository/files/README.md/raw')).text).toBe('# Tool\n');
    expect((await call(fake(), '/api/v4/projects/9/repository/files/README.md/raw', { token: 'erin-api-token' })).status).toBe(200);
    expect((await call(fake(), '/api/v4/projects/9/repository/files/README.md/raw')).status).toBe(404);
  });

  it('sees commits made mid-test; last_commit_id tracks the file', async () => {
    const before = fake().state.project(7)?.repo.branches.get('main');
    const sha = fake().state.commitFiles(7, 'main', { '.aiconfig': 'ai_access:\n  enabled: false\n' }, 'Disable AI');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    const changed = (await call(fake(), files('.aiconfig?ref=main'), { token: 'alice-api-token' })).json;
    expect(changed).toMatchObject({ commit_id: sha, last_commit_id: sha, content: Buffer.from('ai_access:\n  enabled: false\n').toString('base64') });
    expect((await call(fake(), files('config.py?ref=main'), { token: 'alice-api-token' })).json).toMatchObject({ commit_id: sha, last_commit_id: before });
    expect((await call(fake(), files(`.aiconfig?ref=${before}`), { token: 'alice-api-token' })).json).toMatchObject({ commit_id: before });
    fake().state.commitFiles(7, 'main', { 'config.py': null });
    expect((await call(fake(), files('config.py/raw'), { token: 'alice-api-token' })).json).toEqual({ message: '404 File Not Found' });
  });

  it('an empty repository has no commits', async () => {
    expect((await call(fake(), '/api/v4/projects/14', { token: 'alice-api-token' })).json).toMatchObject({ empty_repo: true });
    expect((await call(fake(), '/api/v4/projects/14/repository/files/a.txt/raw', { token: 'alice-api-token' })).json).toEqual({ message: '404 Commit Not Found' });
    fake().state.commitFiles(14, 'main', { 'a.txt': 'first\n' });
    expect((await call(fake(), '/api/v4/projects/14/repository/files/a.txt/raw', { token: 'alice-api-token' })).text).toBe('first\n');
  });
});
