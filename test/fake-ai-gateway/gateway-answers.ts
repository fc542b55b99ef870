import { anthropicMessage, anthropicStreamFrames, anthropicTokenCount } from '../fake-providers/anthropic-format.ts';
import { chatCompletion, chatStreamFrames, openaiModelList } from '../fake-providers/openai-chat-format.ts';
import { responseObject, responseStreamFrames } from '../fake-providers/openai-responses-format.ts';
import type { ReplyPlan } from '../fake-providers/reply-plan.ts';
import { splitPieces, tokensFor } from '../fake-providers/script.ts';
import type { SseFrame } from '../fake-providers/sse.ts';
import type { GatewayProvider } from './gateway-routes.ts';

/** What the upstream model answers through the gateway: a JSON body or an SSE stream. */
export type Answer = { readonly kind: 'json'; readonly body: unknown } | { readonly kind: 'sse'; readonly frames: readonly SseFrame[] };

function plan(model: string, text: string, bodyText: string): ReplyPlan {
  return { model, text, textPieces: splitPieces(text, 3), tool: undefined, inputTokens: tokensFor(bodyText), outputTokens: tokensFor(text), eventDelayMs: 0 };
}

/** The reply of the upstream provider, in the same shapes the fake providers use (SDK-parseable). */
export function gatewayAnswer(provider: GatewayProvider, upstreamPath: string, body: Record<string, unknown>, bodyText: string, text: string): Answer {
  const model = String(body['model']);
  const stream = body['stream'] === true;
  const p = plan(model, text, bodyText);
  const path = upstreamPath.split('?')[0];
  if (provider === 'anthropic') {
    if (path === '/v1/messages/count_tokens') return { kind: 'json', body: anthropicTokenCount(body) };
    return stream ? { kind: 'sse', frames: anthropicStreamFrames(p) } : { kind: 'json', body: anthropicMessage(p) };
  }
  if (path === '/v1/responses') return stream ? { kind: 'sse', frames: responseStreamFrames(p, body) } : { kind: 'json', body: responseObject(p, body) };
  if (path === '/v1/chat/completions') {
    const includeUsage = (body['stream_options'] as { include_usage?: unknown } | undefined)?.include_usage === true;
    return stream ? { kind: 'sse', frames: chatStreamFrames(p, includeUsage) } : { kind: 'json', body: chatCompletion(p) };
  }
  if (path === '/v1/models') return { kind: 'json', body: openaiModelList([model]) };
  return { kind: 'json', body: { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0, 0, 0] }], model, usage: { prompt_tokens: p.inputTokens, total_tokens: p.inputTokens } } };
}

/** 402 bodies as users reported them (opencode#23240); the exact JSON shape is a guess. */
export function creditsExhausted(provider: GatewayProvider): unknown {
  return provider === 'anthropic'
    ? { type: 'error', error: { type: 'billing_error', message: 'Consumer does not have sufficient credits for this request' } }
    : { error: { message: 'insufficient_credits', type: 'insufficient_credits', param: null, code: 'insufficient_credits' } };
}
