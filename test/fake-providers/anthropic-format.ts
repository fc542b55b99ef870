import { anthropicError } from './errors.ts';
import { fakeId } from './ids.ts';
import type { ReplyPlan } from './reply-plan.ts';
import { jsonFrame, type SseFrame } from './sse.ts';

/** Shapes of the Anthropic Messages API as `@anthropic-ai/sdk` 1.12 types them. */

function usage(plan: ReplyPlan, outputTokens: number) {
  return {
    input_tokens: plan.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    speed: null,
  };
}

function envelope(id: string, plan: ReplyPlan, content: unknown[], stopReason: string | null, outputTokens: number) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: plan.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: usage(plan, outputTokens),
  };
}

const stopReason = (plan: ReplyPlan): string => (plan.tool ? 'tool_use' : 'end_turn');

/** The non-streaming `POST /v1/messages` body. */
export function anthropicMessage(plan: ReplyPlan): unknown {
  const content: unknown[] = [];
  if (plan.text !== '' || !plan.tool) content.push({ type: 'text', text: plan.text, citations: null });
  if (plan.tool) content.push({ type: 'tool_use', id: plan.tool.id, name: plan.tool.name, input: plan.tool.input, caller: { type: 'direct' } });
  return envelope(fakeId('msg_'), plan, content, stopReason(plan), plan.outputTokens);
}

/**
 * The real event order: message_start, content_block_start, ping, content_block_delta…,
 * content_block_stop (per block), message_delta (stop reason, usage), message_stop.
 */
export function anthropicStreamFrames(plan: ReplyPlan): SseFrame[] {
  const frames: SseFrame[] = [];
  const push = (type: string, fields: Record<string, unknown> = {}): void => {
    frames.push(jsonFrame({ type, ...fields }, type));
  };
  push('message_start', { message: envelope(fakeId('msg_'), plan, [], null, 1) });
  let index = 0;
  const block = (contentBlock: unknown, deltas: readonly unknown[]): void => {
    push('content_block_start', { index, content_block: contentBlock });
    if (index === 0) frames.push({ event: 'ping', data: '{"type": "ping"}' });
    for (const delta of deltas) push('content_block_delta', { index, delta });
    push('content_block_stop', { index });
    index++;
  };
  if (plan.text !== '' || !plan.tool) {
    block({ type: 'text', text: '', citations: null }, plan.textPieces.map((text) => ({ type: 'text_delta', text })));
  }
  if (plan.tool) {
    const start = { type: 'tool_use', id: plan.tool.id, name: plan.tool.name, input: {}, caller: { type: 'direct' } };
    block(start, plan.tool.argumentPieces.map((partial_json) => ({ type: 'input_json_delta', partial_json })));
  }
  const { output_tokens, input_tokens, cache_creation_input_tokens, cache_read_input_tokens } = usage(plan, plan.outputTokens);
  push('message_delta', {
    delta: { stop_reason: stopReason(plan), stop_sequence: null, stop_details: null, container: null },
    usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens, output_tokens_details: null, server_tool_use: null },
  });
  push('message_stop');
  return frames;
}

/** Anthropic's mid-stream failure: `event: error` with the usual error body. */
export function anthropicStreamError(requestId: string): SseFrame {
  return jsonFrame(anthropicError(529, requestId), 'error');
}

/** A deterministic estimate, so tests can compare: ~4 characters a token over system, messages and tools. */
export function anthropicTokenCount(body: Record<string, unknown>): { input_tokens: number } {
  const text = JSON.stringify([body.system ?? null, body.messages ?? null, body.tools ?? null]);
  return { input_tokens: Math.max(1, Math.ceil(text.length / 4)) };
}

export function anthropicModelList(ids: readonly string[]): unknown {
  const data = ids.map((id) => ({
    type: 'model',
    id,
    display_name: id,
    created_at: '2026-01-01T00:00:00Z',
    capabilities: null,
    deprecated_at: null,
    lifecycle: 'active',
    line: null,
    max_input_tokens: 200000,
    max_tokens: 64000,
    retires_at: null,
  }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
