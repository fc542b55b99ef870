import { Router, type Request, type Response } from 'express';
import { matchesAnyToken } from '../service/token-match.ts';
import type { BundlePublisher, PublishedBundle } from './bundle-publisher.ts';

/** Longest long poll a client may ask for; proxies and load balancers cut idle requests after ~60 s. */
export const MAX_WAIT_SECONDS = 55;

/** Weak comparison, as RFC 9110 prescribes for If-None-Match (`W/` ignored, lists and `*` allowed). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

function send(res: Response, bundle: PublishedBundle): void {
  res.set({ ETag: bundle.etag, 'Cache-Control': 'no-cache', 'X-Aigate-Serial': String(bundle.serial), 'Content-Type': 'application/json' });
  res.status(200).send(bundle.text);
}

/**
 * `GET /bundles/current` (strong ETag, 304 on If-None-Match, long polling with `?wait=N`: the
 * answer comes as soon as a newer bundle is published, else 304 after N seconds) and
 * `GET /bundles/:serial`. With reader tokens configured, a Bearer token is required: bundles are
 * signed, not secret, but they list every project path of the organisation.
 */
export function bundleRoutes(publisher: BundlePublisher, readerTokens: readonly string[]): Router {
  const router = Router();
  router.use('/bundles', (req, res, next) => {
    if (readerTokens.length === 0) return next();
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (matchesAnyToken(bearer, readerTokens)) return next();
    res.set('WWW-Authenticate', 'Bearer realm="aigate bundles"').status(401).json({ error: { code: 'unauthorized', message: 'a valid bundle reader token is required' } });
  });
  router.get('/bundles/current', async (req: Request, res: Response) => {
    // Advertised on every answer so the proxy knows it may long-poll this URL.
    res.set('X-Aigate-Long-Poll', String(MAX_WAIT_SECONDS));
    const current = publisher.current();
    if (!current) return void res.status(503).set('Retry-After', '5').json({ error: { code: 'bundle_not_published', message: 'no bundle has been published yet' } });
    const inm = req.get('if-none-match');
    if (!matches(inm, current.etag)) return send(res, current);
    const wait = Math.min(MAX_WAIT_SECONDS, Math.max(0, Number.parseInt(String(req.query['wait'] ?? '0'), 10) || 0));
    if (wait > 0) {
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const newer = await publisher.waitForNewer(current.etag, wait * 1000, gone.signal);
      if (gone.signal.aborted && !newer) return;
      if (newer && !matches(inm, newer.etag)) return send(res, newer);
    }
    const now = publisher.current() ?? current;
    res.set({ ETag: now.etag, 'Cache-Control': 'no-cache', 'X-Aigate-Serial': String(now.serial) }).status(304).end();
  });
  router.get('/bundles/:serial', async (req: Request, res: Response) => {
    const serial = String(req.params['serial'] ?? '');
    const text = /^\d{1,16}$/.test(serial) ? await publisher.version(Number(serial)) : undefined;
    if (text === undefined) return void res.status(404).json({ error: { code: 'bundle_not_published', message: `no bundle with serial ${serial} is kept` } });
    res.set({ 'Cache-Control': 'public, max-age=31536000, immutable', 'Content-Type': 'application/json' }).status(200).send(text);
  });
  return router;
}
