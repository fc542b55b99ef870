import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { DeliveryDedupe } from './delivery-dedupe.ts';
import type { Planner } from './plan-event.ts';
import type { ServiceLog } from './service-log.ts';
import { matchesAnyToken } from './token-match.ts';
import type { WorkQueue } from './work-queue.ts';

/** GitLab caps webhook payloads at 25 MB. */
const MAX_BODY = '25mb';

/**
 * `POST /hooks/gitlab`. The token is checked before the body is even read (an unauthenticated
 * sender must not make us parse 25 MB of JSON), redeliveries are dropped by Idempotency-Key (else
 * X-Gitlab-Event-UUID), and the answer goes out as soon as the work is queued: GitLab times a hook
 * out after 10 s and disables it after repeated failures, so no GitLab call happens before it.
 */
export function webhookRoute(deps: { tokens: readonly string[]; dedupe: DeliveryDedupe; planner: Planner; queue: WorkQueue; log: ServiceLog }): Router {
  const router = Router();
  const authenticate = (req: Request, res: Response, next: NextFunction) => {
    if (matchesAnyToken(req.get('x-gitlab-token'), deps.tokens)) return next();
    deps.log.warn('webhook refused', { code: 'webhook_token_invalid', event: req.get('x-gitlab-event') ?? null, remote: req.socket.remoteAddress ?? null });
    res.status(401).json({ error: { code: 'webhook_token_invalid', message: 'missing or wrong X-Gitlab-Token' } });
  };
  router.post('/hooks/gitlab', authenticate, express.json({ limit: MAX_BODY, type: () => true }), (req: Request, res: Response) => {
    const body = req.body as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return void res.status(400).json({ error: { code: 'webhook_payload_invalid', message: 'the body must be a JSON object' } });
    const key = req.get('idempotency-key') ?? req.get('x-gitlab-event-uuid');
    if (key && !deps.dedupe.firstSeen(key)) return void res.status(200).json({ status: 'duplicate' });
    const planned = deps.planner.plan(req.get('x-gitlab-event') ?? '', body as Record<string, any>);
    if ('ignored' in planned) return void res.status(200).json({ status: 'ignored', reason: planned.ignored });
    for (const job of planned.jobs) deps.queue.push(job);
    deps.log.info('webhook queued', { event: req.get('x-gitlab-event') ?? null, what: planned.what, delivery: key ?? null });
    res.status(202).json({ status: 'queued', what: planned.what });
  });
  router.use('/hooks/gitlab', (error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status ?? 400;
    res.status(status >= 400 && status < 500 ? status : 400).json({ error: { code: 'webhook_payload_invalid', message: 'the body is not valid JSON (or is too large)' } });
  });
  return router;
}
