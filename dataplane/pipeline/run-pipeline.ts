import { DataplaneError } from '../codes.ts';
import type { Logger } from '../log.ts';
import type { RequestContext } from './request-context.ts';
import { sendError } from './send.ts';

/** A pipeline stage: continues (undefined) or ends the request with an error answer. */
export type Stage = (ctx: RequestContext) => Promise<DataplaneError | undefined> | DataplaneError | undefined;

/** The route's own work after every stage passed; it answers, or throws a DataplaneError. */
export type Handler = (ctx: RequestContext) => Promise<void>;

/**
 * Runs the stages in order, then the handler. Whatever happens (an early answer, an exception, a
 * client that went away), `audit` runs in the `finally`: every request leaves exactly one record.
 */
export async function runPipeline(ctx: RequestContext, stages: readonly Stage[], handler: Handler, audit: (ctx: RequestContext) => void, log: Logger): Promise<void> {
  try {
    for (const stage of stages) {
      const stop = await stage(ctx);
      if (stop) return sendError(ctx, stop);
    }
    await handler(ctx);
  } catch (error) {
    if (error instanceof DataplaneError) {
      sendError(ctx, error);
    } else {
      // Unknown errors are logged by name and message only, and never echoed to the client.
      log.error('request failed', { request_id: ctx.id, route: ctx.route, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' });
      sendError(ctx, new DataplaneError('internal_error', `aigate: internal error (request ${ctx.id})`));
    }
  } finally {
    audit(ctx);
  }
}
