import { Gitlab, GitbeakerRequestError } from '@gitbeaker/rest';
import { describe, expect, it } from 'vitest';
import { useFakeGitLab } from './test-helpers.ts';

describe('fake gitlab: @gitbeaker/rest compatibility', () => {
  const fake = useFakeGitLab();
  const client = (token = 'alice-api-token') => new Gitlab({ host: fake().url, token });

  it('Users.showCurrentUser', async () => {
    expect(await client().Users.showCurrentUser()).toMatchObject({ id: 2, username: 'alice' });
  });

  it('Projects.show by path and Projects.all across pages', async () => {
    expect(await client().Projects.show('acme/platform/api-service')).toMatchObject({ id: 7, path_with_namespace: 'acme/platform/api-service' });
    const all = await client('root-api-token').Projects.all({ perPage: 3, orderBy: 'id', sort: 'asc' });
    expect(all.map((p) => p.id)).toEqual([7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('RepositoryFiles.showRaw returns the text and RepositoryFiles.show the blob', async () => {
    const raw = await client().RepositoryFiles.showRaw('acme/platform/api-service', 'config.py', 'main');
    expect(raw).toBe('DATABASE_HOST = "db.internal"\npassword = "hunter2"\nDEBUG = False\n');
    expect(await client().RepositoryFiles.show('acme/platform/api-service', 'src/app.py', 'main')).toMatchObject({ file_path: 'src/app.py', encoding: 'base64' });
  });

  it('PersonalAccessTokens.show and Repositories.allRepositoryTrees', async () => {
    expect(await client().PersonalAccessTokens.show()).toMatchObject({ scopes: ['api'], user_id: 2 });
    const tree = await client().Repositories.allRepositoryTrees('acme/platform/api-service', { recursive: true, perPage: 4 });
    expect(tree).toHaveLength(10);
  });

  it('surfaces a 404 as GitbeakerRequestError with status 404', async () => {
    const error: unknown = await client('erin-api-token').Projects.show('acme/platform/api-service').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitbeakerRequestError);
    const e = error as GitbeakerRequestError;
    expect(e.message).toBe('404 Project Not Found');
    expect(e.cause?.response.status).toBe(404);
  });
});
