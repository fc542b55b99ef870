import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { call, useFakeGitLab } from './test-helpers.ts';

const QUERY = `query($paths: [String!]!, $file: String!, $after: String) {
  projects(fullPaths: $paths, first: 50, after: $after) {
    nodes { id fullPath
      repository { rootRef
        blobs(paths: [$file, "missing.txt"], ref: null) { nodes { path name size oid rawBlob rawTextBlob } } } }
    pageInfo { hasNextPage endCursor } } }`;

type Blob = { path: string; name: string; size: string; oid: string; rawBlob: string; rawTextBlob: string | null };
type Node = { id: string; fullPath: string; repository: { rootRef: string | null; blobs: { nodes: Blob[] } } | null };
type Data = { data: { projects: { nodes: Node[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null }; errors?: { message: string }[] };

describe('fake gitlab: GraphQL', () => {
  const fake = useFakeGitLab();
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) =>
    call(fake(), '/api/graphql', { method: 'POST', body: { query, variables }, headers: token ? { Authorization: `Bearer ${token}` } : {} });

  it('batches projects and blobs, omits invisible/missing paths and files, matches case-insensitively', async () => {
    const paths = ['ACME/platform/api-service', 'oss/tool', 'acme/finance/ledger', 'nope/missing'];
    const res = await gql(QUERY, { paths, file: '.aiconfig' }, 'alice-api-token');
    expect(res.status).toBe(200);
    const { data } = res.json as Data;
    // Returned by id descending, not in the order asked.
    expect(data.projects?.nodes.map((n) => [n.id, n.fullPath])).toEqual([['gid://gitlab/Project/10', 'oss/tool'], ['gid://gitlab/Project/7', 'acme/platform/api-service']]);
    const api = data.projects?.nodes[1];
    const content = (await call(fake(), '/api/v4/projects/7/repository/files/.aiconfig/raw', { token: 'alice-api-token' })).text;
    expect(api?.repository).toEqual({
      rootRef: 'main',
      blobs: { nodes: [{ path: '.aiconfig', name: '.aiconfig', size: String(content.length), oid: createHash('sha1').update(`blob ${content.length}\0${content}`).digest('hex'), rawBlob: content, rawTextBlob: content }] },
    });
    expect(data.projects?.pageInfo.hasNextPage).toBe(false);
  });

  it('accepts inline literals and a ref; rawTextBlob is null for binary blobs', async () => {
    const query = `{ projects(fullPaths: ["acme/platform/api-service"]) { nodes { fullPath repository {
      blobs(paths: ["assets/logo.png", "src/login.py"], ref: "feature/login") { nodes { path rawTextBlob } } } } } }`;
    const { data } = (await gql(query, {}, 'alice-api-token')).json as Data;
    const nodes = data.projects?.nodes[0]?.repository?.blobs.nodes;
    expect(nodes?.map((b) => [b.path, b.rawTextBlob === null])).toEqual([['assets/logo.png', true], ['src/login.py', false]]);
  });

  it('refuses more than 50 full paths with HTTP 200 and an errors entry', async () => {
    const paths = Array.from({ length: 51 }, (_, i) => `g/p${i}`);
    const res = await gql(QUERY, { paths, file: 'x' }, 'alice-api-token');
    expect(res.status).toBe(200);
    const body = res.json as Data;
    expect(body.errors?.map((e) => e.message)).toEqual(['You cannot provide more than 50 full_paths']);
    expect(body.data.projects).toBeNull();
  });

  it('pages with first/after cursors', async () => {
    const query = 'query($after: String) { projects(first: 2, after: $after) { nodes { fullPath } pageInfo { hasNextPage endCursor } } }';
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const { data } = (await gql(query, { after }, 'root-api-token')).json as Data;
      seen.push(...(data.projects?.nodes.map((n) => n.fullPath) ?? []));
      if (!data.projects?.pageInfo.hasNextPage) break;
      after = data.projects.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(8);
    expect(seen[0]).toBe('acme/platform/empty');
  });

  it('gives a Guest a null repository, and anonymous callers public projects only', async () => {
    const guest = (await gql(QUERY, { paths: ['acme/platform/api-service'], file: 'config.py' }, 'bob-api-token')).json as Data;
    expect(guest.data.projects?.nodes).toEqual([{ id: 'gid://gitlab/Project/7', fullPath: 'acme/platform/api-service', repository: null }]);
    const anon = (await gql(QUERY, { paths: ['acme/platform/api-service', 'oss/tool'], file: 'README.md' })).json as Data;
    expect(anon.data.projects?.nodes.map((n) => n.fullPath)).toEqual(['oss/tool']);
  });

  it('answers 401 Invalid token for unknown, expired and revoked tokens', async () => {
    for (const token of ['no-such-token', 'alice-expired-token', 'alice-revoked-token']) {
      const res = await gql(QUERY, { paths: [], file: 'x' }, token);
      expect([res.status, res.json], token).toEqual([401, { errors: [{ message: 'Invalid token' }] }]);
    }
    expect((await gql('{ currentUser { username } }', {}, 'alice-read-api-token')).json).toEqual({ data: { currentUser: { username: 'alice' } } });
  });

  it('reports unknown fields as errors without data', async () => {
    const res = await gql('{ projects { nodes { bogus } } }', {}, 'alice-api-token');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ errors: [expect.objectContaining({ message: "Field 'bogus' doesn't exist on type 'Project'" })] });
  });

  it('answers the complexity error while the fault is on', async () => {
    fake().faults.set({ graphqlComplexity: true, times: 1 });
    const res = await gql(QUERY, { paths: ['oss/tool'], file: 'README.md' }, 'alice-api-token');
    expect(res.status).toBe(200);
    expect((res.json as Data).errors?.[0]?.message).toMatch(/^Query has complexity of \d+, which exceeds max complexity of 250$/);
    expect((await gql(QUERY, { paths: ['oss/tool'], file: 'README.md' }, 'alice-api-token')).json).not.toHaveProperty('errors');
  });
});
