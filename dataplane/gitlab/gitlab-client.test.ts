import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createGitLabClient } from './gitlab-client.ts';

/** A raw-file endpoint scripted per test; counts the TCP connections it accepts. */
async function gitlab(handle: (req: IncomingMessage, res: ServerResponse) => void) {
  let connections = 0;
  const server = createServer(handle);
  server.on('connection', () => void connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createGitLabClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, timeoutMs: 5000 });
  onTestFinished(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return { client, connections: () => connections };
}

describe('GitLab client: openFile', () => {
  it('reports the size from the headers while the body is still arriving', async () => {
    let bodyClosed!: () => void;
    const closed = new Promise<void>((resolve) => (bodyClosed = resolve));
    const { client } = await gitlab((_req, res) => {
      // Headers and a first chunk, then nothing: a client that waited for the body would hang here.
      res.writeHead(200, { 'x-gitlab-size': String(50 * 1024 * 1024), 'x-gitlab-blob-id': 'abc' });
      res.write(Buffer.alloc(64 * 1024, 0x61));
      res.on('close', bodyClosed);
    });
    const opened = await client.openFile('token', 1, 'big.bin', 'main');
    expect(opened).toMatchObject({ ok: true, value: { size: 50 * 1024 * 1024, blobId: 'abc' } });
    if (opened.ok) opened.value.discard();
    // Discarding drops the connection, so GitLab stops sending the rest.
    await closed;
  });

  it('stops reading at maxBytes when the body is longer than its size header claims', async () => {
    let written = 0;
    const { client } = await gitlab((_req, res) => {
      res.writeHead(200, { 'x-gitlab-size': '10' });
      const chunk = Buffer.alloc(16 * 1024, 0x61);
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) written += chunk.length;
      };
      res.on('drain', pump);
      pump();
    });
    const opened = await client.openFile('token', 1, 'liar.txt', 'main');
    if (!opened.ok) throw new Error(opened.message);
    expect(await opened.value.read(100_000)).toMatchObject({ ok: false, kind: 'too_large' });
    expect(written).toBeGreaterThan(0);
  });

  it('refuses a file whose size GitLab does not report', async () => {
    const { client } = await gitlab((_req, res) => res.end('hello'));
    expect(await client.openFile('token', 1, 'a.txt', 'main')).toEqual({ ok: false, kind: 'unavailable', status: 200, message: 'GitLab did not report the file size' });
  });

  it('maps GitLab errors like any other call', async () => {
    const { client } = await gitlab((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"404 File Not Found"}');
    });
    expect(await client.openFile('token', 1, 'a.txt', 'main')).toMatchObject({ ok: false, kind: 'not_found' });
  });

  it('reads a run of files over one keep-alive connection', async () => {
    const { client, connections } = await gitlab((req, res) => {
      const body = Buffer.from(`content of ${req.url}\n`);
      res.writeHead(200, { 'x-gitlab-size': String(body.length) });
      res.end(body);
    });
    for (let i = 0; i < 10; i++) {
      const opened = await client.openFile('token', 1, `f${i}.txt`, 'main');
      if (!opened.ok) throw new Error(opened.message);
      const read = await opened.value.read(1000);
      opened.value.discard();
      expect(read.ok && read.value.toString()).toContain(`f${i}.txt`);
    }
    // undici's pool may open a second socket while the first is still being released (it does so for
    // plain GETs too); what must not happen is one connection per file, as with HEAD.
    expect(connections()).toBeLessThanOrEqual(2);
  });
});
