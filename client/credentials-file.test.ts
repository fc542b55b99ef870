import { lstatSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers/temp-dir.ts';
import { readCredentialsFile, saveLogin, type StoredLogin } from './credentials-file.ts';

const login = (token: string): StoredLogin => ({ access_token: token, refresh_token: 'r', token_type: 'Bearer', scope: 'api', expires_at: 1, client_id: 'c', redirect_uri: null, username: 'alice', user_id: 2 });

describe('credentials file', () => {
  it('is created 0600 in a 0700 directory whatever the umask, and keeps other instances', async () => {
    const path = join(tempDir(), 'aigate', 'credentials.json');
    const previous = process.umask(0);
    try {
      await saveLogin(path, 'https://a.example', login('t1'));
      await saveLogin(path, 'https://b.example', login('t2'));
    } finally {
      process.umask(previous);
    }
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    const { file, insecure } = await readCredentialsFile(path);
    expect(Object.keys(file.logins)).toEqual(['https://a.example', 'https://b.example']);
    expect(insecure).toBe(false);
    expect(readdirSync(join(path, '..'))).toEqual(['credentials.json']);
  });

  it('replaces a planted symlink instead of writing through it', async () => {
    const dir = tempDir();
    const target = join(dir, 'victim.txt');
    const planted = JSON.stringify({ version: 1, logins: {} });
    writeFileSync(target, planted);
    const path = join(dir, 'credentials.json');
    symlinkSync(target, path);
    await saveLogin(path, 'https://a.example', login('secret'));
    expect(readFileSync(target, 'utf8')).toBe(planted);
    expect(lstatSync(path).isSymbolicLink()).toBe(false);
  });

  it('reads a missing file as empty and refuses a foreign one', async () => {
    const dir = tempDir({ 'other.json': '{"hello":1}', 'text.txt': 'hello' });
    expect((await readCredentialsFile(join(dir, 'none.json'))).file.logins).toEqual({});
    await expect(readCredentialsFile(join(dir, 'other.json'))).rejects.toThrow(/not an aigate credentials file/);
    await expect(saveLogin(join(dir, 'text.txt'), 'https://a.example', login('t'))).rejects.toThrow(/not an aigate credentials file/);
    expect(readFileSync(join(dir, 'text.txt'), 'utf8')).toBe('hello');
  });
});
