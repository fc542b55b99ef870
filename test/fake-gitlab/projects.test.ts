import { describe, expect, it } from 'vitest';
import { call, P7, useFakeGitLab } from './test-helpers.ts';

const NOT_FOUND = { message: '404 Project Not Found' };
type Project = { id: number; path_with_namespace: string; permissions: unknown; archived: boolean };

describe('fake gitlab: GET /projects/:id', () => {
  const fake = useFakeGitLab();

  it('finds a project by numeric id and by one encoded path segment, with the documented fields', async () => {
    const byId = await call(fake(), '/api/v4/projects/7', { token: 'alice-api-token' });
    const byPath = await call(fake(), `/api/v4/projects/${P7}`, { token: 'alice-api-token' });
    expect(byId.status).toBe(200);
    expect(byPath.json).toEqual(byId.json);
    expect(byId.json).toMatchObject({
      id: 7,
      name: 'API Service',
      path: 'api-service',
      path_with_namespace: 'acme/platform/api-service',
      name_with_namespace: 'Acme / Platform / API Service',
      default_branch: 'main',
      visibility: 'private',
      archived: false,
      empty_repo: false,
      web_url: `${fake().url}/acme/platform/api-service`,
      http_url_to_repo: `${fake().url}/acme/platform/api-service.git`,
      namespace: { id: 101, name: 'Platform', path: 'platform', kind: 'group', full_path: 'acme/platform', parent_id: 100 },
      permissions: { project_access: null, group_access: { access_level: 30, notification_level: 3 } },
    });
  });

  it('matches the path case-insensitively without redirecting', async () => {
    const res = await call(fake(), `/api/v4/projects/${encodeURIComponent('ACME/Platform/API-Service')}`, { token: 'alice-api-token' });
    expect(res.status).toBe(200);
    expect((res.json as Project).path_with_namespace).toBe('acme/platform/api-service');
  });

  it('does not route an unencoded slash', async () => {
    const res = await call(fake(), '/api/v4/projects/acme/platform/api-service', { token: 'alice-api-token' });
    expect([res.status, res.json]).toEqual([404, { error: '404 Not Found' }]);
  });

  it('answers 404 (never 403) for invisible and missing projects alike', async () => {
    for (const id of ['7', P7, '999', encodeURIComponent('acme/finance/ledger')]) {
      const res = await call(fake(), `/api/v4/projects/${id}`, { token: 'erin-api-token' });
      expect([res.status, res.json], id).toEqual([404, NOT_FOUND]);
    }
    expect((await call(fake(), '/api/v4/projects/7')).json).toEqual(NOT_FOUND);
  });

  it('shows internal projects to signed-in users but not to external or anonymous ones', async () => {
    expect((await call(fake(), '/api/v4/projects/9', { token: 'erin-api-token' })).status).toBe(200);
    expect((await call(fake(), '/api/v4/projects/9', { token: 'carol-api-token' })).json).toEqual(NOT_FOUND);
    expect((await call(fake(), '/api/v4/projects/9')).json).toEqual(NOT_FOUND);
    fake().state.addMember(9, 'carol', 10);
    expect((await call(fake(), '/api/v4/projects/9', { token: 'carol-api-token' })).status).toBe(200);
  });

  it('shows a Guest its direct access', async () => {
    const res = await call(fake(), '/api/v4/projects/7', { token: 'bob-api-token' });
    expect((res.json as Project).permissions).toEqual({ project_access: { access_level: 10, notification_level: 3 }, group_access: null });
  });

  it('reports the highest ancestor-group membership in group_access (single view only)', async () => {
    fake().state.addMember('acme', 'erin', 20);
    const single = await call(fake(), '/api/v4/projects/7', { token: 'erin-api-token' });
    expect((single.json as Project).permissions).toEqual({ project_access: null, group_access: { access_level: 20, notification_level: 3 } });
    const list = (await call(fake(), '/api/v4/projects?order_by=id&sort=asc', { token: 'erin-api-token' })).json as Project[];
    expect(list.find((p) => p.id === 7)?.permissions).toEqual({ project_access: null, group_access: null });
  });

  it('lets admins see every project, with null permissions when not a member', async () => {
    const res = await call(fake(), '/api/v4/projects/8', { token: 'root-api-token' });
    expect(res.status).toBe(200);
    expect((res.json as Project).permissions).toEqual({ project_access: null, group_access: null });
  });

  it('redirects an old path: GET 301 with Location and a text body, other methods 405', async () => {
    const old = encodeURIComponent('acme/platform/legacy-billing');
    const get = await call(fake(), `/api/v4/projects/${old}/repository/files/README.md?ref=main`, { token: 'alice-api-token' });
    const location = `${fake().url}/api/v4/projects/11/repository/files/README.md?ref=main`;
    expect(get.status).toBe(301);
    expect(get.headers.get('location')).toBe(location);
    expect(get.text).toBe(`This resource has been moved permanently to ${location}`);
    const put = await call(fake(), `/api/v4/projects/${old}`, { token: 'alice-api-token', method: 'PUT', body: { name: 'x' } });
    expect([put.status, put.json]).toEqual([405, { message: 'Non GET methods are not allowed for moved projects' }]);
    expect((await call(fake(), `/api/v4/projects/${old}`, { token: 'erin-api-token' })).json).toEqual(NOT_FOUND);
  });

  it('renames mid-test: the new path answers, the old one redirects; a new project may claim it', async () => {
    fake().state.renameProject(7, 'acme/platform/gateway');
    expect((await call(fake(), `/api/v4/projects/${encodeURIComponent('acme/platform/gateway')}`, { token: 'alice-api-token' })).json).toMatchObject({ id: 7, path: 'gateway' });
    const old = await call(fake(), `/api/v4/projects/${P7}`, { token: 'alice-api-token' });
    expect([old.status, old.headers.get('location')]).toEqual([301, `${fake().url}/api/v4/projects/7`]);
    fake().state.addProject({ id: 20, path: 'acme/platform/api-service', visibility: 'private' });
    expect((await call(fake(), `/api/v4/projects/${P7}`, { token: 'alice-api-token' })).json).toMatchObject({ id: 20 });
  });

  it('transfers mid-test: permissions follow the new namespace', async () => {
    fake().state.transferProject(7, 'acme/finance');
    const moved = await call(fake(), `/api/v4/projects/${encodeURIComponent('acme/finance/api-service')}`, { token: 'alice-api-token' });
    expect(moved.json).toEqual(NOT_FOUND);
    const bob = await call(fake(), `/api/v4/projects/${encodeURIComponent('acme/finance/api-service')}`, { token: 'bob-api-token' });
    expect(bob.json).toMatchObject({ id: 7, namespace: { full_path: 'acme/finance', id: 102 } });
    expect((await call(fake(), `/api/v4/projects/${P7}`, { token: 'bob-api-token' })).status).toBe(301);
  });

  it('toggles archived and visibility mid-test', async () => {
    fake().state.setArchived(7, true);
    expect((await call(fake(), '/api/v4/projects/7', { token: 'alice-api-token' })).json).toMatchObject({ archived: true });
    fake().state.setVisibility(7, 'public');
    expect((await call(fake(), '/api/v4/projects/7')).status).toBe(200);
    fake().state.removeProject(7);
    expect((await call(fake(), '/api/v4/projects/7', { token: 'root-api-token' })).json).toEqual(NOT_FOUND);
  });
});
