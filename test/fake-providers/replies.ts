import { anthropicMessage, anthropicModelList, anthropicStreamError, anthropicStreamFrames, anthropicTokenCount } from './anthropic-format.ts';
import type { Exchange } from './exchange.ts';
import { chatCompletion, chatStreamError, chatStreamFrames, openaiModelList } from './openai-chat-format.ts';
import { responseObject, responseStreamError, responseStreamFrames } from './openai-responses-format.ts';
import { planReply } from './reply-plan.ts';
import type { Scripts } from './script.ts';
import { sendJsonReply, streamSse, type SseFrame } from './sse.ts';
import type { FaultSpec } from './types.ts';

export interface ReplyContext {
  ex: Exchange;
  fault: FaultSpec | undefined;
  scripts: Scripts;
  models: { anthropic: readonly string[]; openai: readonly string[] };
}

function stream(ctx: ReplyContext, frames: SseFrame[], delayMs: number, errorFrame: (index: number) => SseFrame): Promise<void> {
  return streamSse(ctx.ex, frames, { delayMs: ctx.fault?.eventDelayMs ?? delayMs, fault: ctx.fault, errorFrame });
}

/** The success reply for a route, after auth, validation and error faults passed. */
export async function sendReply(ctx: ReplyContext): Promise<void> {
  const { ex, fault } = ctx;
  const { record } = ex;
  const body = (record.json ?? {}) as Record<string, unknown>;
  switch (record.route) {
    case 'anthropic.messages': {
      const plan = planReply(ctx.scripts.resolve(record), record, 'anthropic');
      if (!record.stream) return sendJsonReply(ex, anthropicMessage(plan), fault);
      return stream(ctx, anthropicStreamFrames(plan), plan.eventDelayMs, () => anthropicStreamError(record.requestId));
    }
    case 'openai.chat': {
      const plan = planReply(ctx.scripts.resolve(record), record, 'chat');
      if (!record.stream) return sendJsonReply(ex, chatCompletion(plan), fault);
      const options = body.stream_options as { include_usage?: unknown } | undefined;
      return stream(ctx, chatStreamFrames(plan, options?.include_usage === true), plan.eventDelayMs, chatStreamError);
    }
    case 'openai.responses': {
      const plan = planReply(ctx.scripts.resolve(record), record, 'responses');
      if (!record.stream) return sendJsonReply(ex, responseObject(plan, body), fault);
      return stream(ctx, responseStreamFrames(plan, body), plan.eventDelayMs, responseStreamError);
    }
    case 'anthropic.count_tokens':
      return sendJsonReply(ex, anthropicTokenCount(body), fault);
    case 'anthropic.models':
      return sendJsonReply(ex, anthropicModelList(ctx.models.anthropic), fault);
    case 'openai.models':
      return sendJsonReply(ex, openaiModelList(ctx.models.openai), fault);
    case 'echo':
      return sendJsonReply(ex, { method: record.method, path: record.path, query: record.query, headers: record.headers, json: record.json ?? null, bodyText: record.bodyText }, fault);
    case 'not_found':
      ex.sendError(404, `Not found: ${record.method} ${record.path}`);
  }
}
