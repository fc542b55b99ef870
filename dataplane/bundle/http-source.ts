import { Agent, request } from 'undici';
import type { BundleStore } from './bundle-store.ts';
import type { BundleSource } from './file-source.ts';

/** How long one long poll asks the server to hold the request (the compiler service caps it at 55 s). */
const LONG_POLL_SECONDS = 30;
/** Long polls never follow each other faster than this, whatever the server answers. */
const MIN_LONG_POLL_SPACING_MS = 1000;

type PollResult = 'activated' | 'unchanged' | 'rejected' | 'failed';

/**
 * A bundle URL polled with If-None-Match. The ETag is remembered only once its bundle activated, so
 * a bundle that failed to activate is fetched again instead of being skipped by a 304 forever (a
 * mistake OPA made, issue 2220).
 *
 * When the server advertises long polling (`X-Aigate-Long-Poll: <max seconds>`, as the compiler
 * service's `/bundles/current` does), the source asks with `?wait=30` and re-asks as soon as an
 * answer arrives, so a new bundle is enforced within a round trip of being published instead of
 * after up to one poll interval. Failures and refused bundles fall back to the poll interval.
 */
export function httpBundleSource(url: string, store: BundleStore, options: { pollMs: number; authToken?: string | undefined; timeoutMs?: number }): BundleSource {
  const agent = new Agent({ keepAliveTimeout: 60_000 });
  let etag: string | undefined;
  let longPoll = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const inFlight = new AbortController();

  const poll = async (): Promise<PollResult> => {
    const wait = etag && longPoll > 0 ? Math.min(LONG_POLL_SECONDS, longPoll) : 0;
    const target = new URL(url);
    if (wait > 0) target.searchParams.set('wait', String(wait));
    try {
      const response = await request(target, {
        dispatcher: agent,
        headers: { accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}), ...(options.authToken ? { authorization: `Bearer ${options.authToken}` } : {}) },
        signal: AbortSignal.any([inFlight.signal, AbortSignal.timeout(wait * 1000 + (options.timeoutMs ?? 60_000))]),
      });
      const advertised = Number(response.headers['x-aigate-long-poll']);
      longPoll = Number.isInteger(advertised) && advertised > 0 ? advertised : 0;
      if (response.statusCode === 304) {
        await response.body.dump();
        return 'unchanged';
      }
      if (response.statusCode !== 200) {
        await response.body.dump();
        store.reportError('bundle_unreadable', `bundle URL answered ${response.statusCode}`);
        return 'failed';
      }
      const text = await response.body.text();
      const tag = response.headers['etag'];
      if (!(await store.offerSigned(text, `url:${url}`))) return 'rejected';
      etag = typeof tag === 'string' ? tag : undefined;
      return 'activated';
    } catch (error) {
      if (stopped) return 'failed';
      store.reportError('bundle_unreadable', `cannot fetch the bundle URL (${error instanceof Error ? error.message : 'error'})`);
      return 'failed';
    }
  };

  /** Right away after a long poll that returned something; spaced after a quick 304; else the interval. */
  const nextDelay = (result: PollResult, elapsedMs: number): number => {
    if ((result !== 'activated' && result !== 'unchanged') || longPoll === 0 || !etag) return options.pollMs;
    return result === 'unchanged' ? Math.max(0, MIN_LONG_POLL_SPACING_MS - elapsedMs) : 0;
  };

  const loop = async () => {
    if (stopped) return;
    const started = Date.now();
    const result = await poll();
    if (stopped) return;
    timer = setTimeout(() => void loop(), nextDelay(result, Date.now() - started));
    timer.unref();
  };

  return {
    async start() {
      const started = Date.now();
      const result = await poll();
      if (stopped) return;
      timer = setTimeout(() => void loop(), nextDelay(result, Date.now() - started));
      timer.unref();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      inFlight.abort();
      void agent.close();
    },
  };
}
