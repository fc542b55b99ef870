import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startStack } from '../helpers/dataplane-stack.ts';
import { TOKENS } from './fixtures.ts';

/**
 * A TCP relay in front of the fake GitLab that counts the connections aigate opens to it. The target
 * is read per connection: the fake GitLab starts inside startStack, after the relay.
 */
async function countingRelay(target: () => string): Promise<{ url: string; opened: () => number }> {
  let opened = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    opened++;
    const upstream = new URL(target());
    const server = connect(Number(upstream.port), upstream.hostname);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(server).on('error', () => undefined);
    server.pipe(client).on('error', () => undefined);
    client.on('close', () => server.destroy());
    server.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, opened: () => opened };
}

describe('/api/context: GitLab connections', () => {
  it('serves a run of context requests over the connection already open to GitLab', async () => {
    let gitlab = '';
    const relay = await countingRelay(() => gitlab);
    const stack = await startStack({
      configure: (config) => {
        gitlab = config.gitlab.url;
        return { ...config, gitlab: { ...config.gitlab, url: relay.url } };
      },
    });
    // Warm-up: the token and project lookups are cached after this one.
    expect((await stack.request('/api/context?repo=team/app&file=README.md', { token: TOKENS.alice })).status).toBe(200);
    const before = relay.opened();
    const requests = 10;
    for (let i = 0; i < requests; i++) {
      const r = await stack.request(`/api/context?repo=team/app&file=${i % 2 ? 'README.md' : 'config.py'}`, { token: TOKENS.alice });
      expect(r.status).toBe(200);
    }
    const opened = relay.opened() - before;
    // One per request is what a HEAD costs with undici (it sends Connection: close on every HEAD); the
    // pool may add a second socket while the first is being released.
    expect(opened).toBeLessThanOrEqual(2);
  });
});
