import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createDataplaneMetrics } from './dataplane-metrics.ts';
import { createMetricsHandler } from './metrics-handler.ts';
import { parseExposition } from './parse-exposition.ts';

async function serve(token?: string): Promise<string> {
  const handler = createMetricsHandler(createDataplaneMetrics(), token === undefined ? {} : { token });
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

describe('GET /metrics', () => {
  it('serves the text format', async () => {
    const res = await fetch(await serve());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(parseExposition(await res.text()).has('aigate_requests_total')).toBe(true);
    expect((await fetch(await serve(), { method: 'POST' })).status).toBe(405);
  });

  it('wants the metrics token when one is configured', async () => {
    const url = await serve('metrics-token-0123456789');
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer metrics-token-0123456789' } })).status).toBe(200);
  });
});
