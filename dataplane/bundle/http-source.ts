import { Agent, request } from 'undici';
import type { BundleStore } from './bundle-store.ts';
import type { BundleSource } from './file-source.ts';

/**
 * A bundle URL polled with If-None-Match. The ETag is remembered only once its bundle activated, so
 * a bundle that failed to activate is fetched again instead of being skipped by a 304 forever (a
 * mistake OPA made, issue 2220).
 */
export function httpBundleSource(url: string, store: BundleStore, options: { pollMs: number; authToken?: string | undefined; timeoutMs?: number }): BundleSource {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  let etag: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const poll = async () => {
    try {
      const response = await request(url, {
        dispatcher: agent,
        headers: { accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}), ...(options.authToken ? { authorization: `Bearer ${options.authToken}` } : {}) },
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      if (response.statusCode === 304) return void (await response.body.dump());
      if (response.statusCode !== 200) {
        await response.body.dump();
        return void store.reportError('bundle_unreadable', `bundle URL answered ${response.statusCode}`);
      }
      const text = await response.body.text();
      const tag = response.headers['etag'];
      if (await store.offerSigned(text, `url:${url}`)) etag = typeof tag === 'string' ? tag : undefined;
    } catch (error) {
      store.reportError('bundle_unreadable', `cannot fetch the bundle URL (${error instanceof Error ? error.message : 'error'})`);
    }
  };

  const loop = async () => {
    if (stopped) return;
    await poll();
    if (!stopped) timer = setTimeout(() => void loop(), options.pollMs);
    timer?.unref();
  };

  return {
    async start() {
      await poll();
      timer = setTimeout(() => void loop(), options.pollMs);
      timer.unref();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      void agent.close();
    },
  };
}
