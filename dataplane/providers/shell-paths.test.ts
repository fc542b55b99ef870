import { describe, expect, it } from 'vitest';
import { shellReadPaths } from './shell-paths.ts';

describe('shellReadPaths', () => {
  it.each([
    ['cat .env', ['.env']],
    ['cat /home/me/ws/.env', ['/home/me/ws/.env']],
    ["sed -n '1,20p' config/secrets.yml", ['1,20p', 'config/secrets.yml']],
    ['head -n 50 keys/deploy.pem', ['keys/deploy.pem']],
    ['tail -f logs/app.log', ['logs/app.log']],
    ['cd deploy && cat keys.pem', ['deploy/keys.pem']],
    ['cd /srv/app; head -5 .env.production', ['/srv/app/.env.production']],
    ['ls -la && cat "my secrets/.env" | grep KEY', ['my secrets/.env', 'KEY']],
    ["bash -lc 'cat .env'", ['.env']],
    ['wc -l < .env', ['.env']],
    ['python3 -c "print(1)" && npm test', ['print(1)']],
    ['echo hello', []],
    ['git log --oneline', []],
  ])('%s', (command, expected) => {
    expect(shellReadPaths(command)).toEqual(expected);
  });

  it('reads argv arrays, including a shell wrapper', () => {
    expect(shellReadPaths(['cat', 'secrets/a.key'])).toEqual(['secrets/a.key']);
    expect(shellReadPaths(['bash', '-lc', 'cat .env && ls'])).toEqual(['.env']);
  });
});
