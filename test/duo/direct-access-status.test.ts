import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDuoCredentials } from '../../dataplane/duo/duo-credentials.ts';

/** Answers GitLab does not document for direct_access but that a GitLab or a proxy in front of it may send. */
describe('direct_access answers beyond the fake GitLab', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  async function gitlabAnswering(status: number, body: string, headers: Record<string, string> = {}): Promise<string> {
    server = createServer((req, res) => {
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body);
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('maps 402 to duo_payment_required', async () => {
    const creds = createDuoCredentials({ gitlabUrl: await gitlabAnswering(402, '{"message":"insufficient_credits"}'), mode: 'per-user' });
    await expect(creds.get(1, 't')).rejects.toMatchObject({ code: 'duo_payment_required', message: expect.stringContaining('insufficient_credits') });
    await creds.close();
  });

  it('maps an unreadable 201 and a redirect to duo_unavailable, never following the redirect', async () => {
    const garbled = createDuoCredentials({ gitlabUrl: await gitlabAnswering(201, '<html>'), mode: 'per-user' });
    await expect(garbled.get(1, 't')).rejects.toMatchObject({ code: 'duo_unavailable' });
    await garbled.close();
    await new Promise<void>((r) => server?.close(() => r()));
    const moved = createDuoCredentials({ gitlabUrl: await gitlabAnswering(302, '', { location: 'http://127.0.0.1:9/steal' }), mode: 'per-user' });
    await expect(moved.get(1, 't')).rejects.toMatchObject({ code: 'duo_unavailable', message: expect.stringContaining('302') });
    await moved.close();
  });

  it('treats headers: null as no headers and a missing expires_at as a 25-minute life', async () => {
    const creds = createDuoCredentials({ gitlabUrl: await gitlabAnswering(201, '{"token":"gw","headers":null}'), mode: 'per-user', now: () => 1_000_000 });
    const c = await creds.get(1, 't');
    expect(c.headers).toEqual({});
    expect(c.expiresAt).toBe(1_000_000 + 25 * 60_000);
    expect(c.gatewayUrl).toBe('https://cloud.gitlab.com/ai');
    await creds.close();
  });
});
