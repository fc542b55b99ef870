import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_FIXTURES_PATH } from './test-helpers.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

describe('fake gitlab: CLI', () => {
  it('starts from a fixtures file, prints its URL, answers, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN, '--fixtures', EXAMPLE_FIXTURES_PATH, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          const m = /^fake gitlab listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
          if (m?.[1]) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
      });
      const res = await fetch(`${url}/api/v4/version`, { headers: { 'PRIVATE-TOKEN': 'alice-api-token' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ version: '18.6.0' });
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 2 with usage when --fixtures is missing', async () => {
    const child = spawn(process.execPath, [MAIN], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('usage: node test/fake-gitlab/main.ts --fixtures');
  });
});
