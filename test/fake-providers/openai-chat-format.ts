import { openaiError } from './errors.ts';
import { fakeId, unixSeconds } from './ids.ts';
import type { ReplyPlan } from './reply-plan.ts';
import { jsonFrame, type SseFrame } from './sse.ts';

/** Shapes of the Chat Completions API as `openai` 7.x types them. */

function chatUsage(plan: ReplyPlan) {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
}

const finishReason = (plan: ReplyPlan): string => (plan.tool ? 'tool_calls' : 'stop');

/** The non-streaming `POST /v1/chat/completions` body. */
export function chatCompletion(plan: ReplyPlan): unknown {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: plan.tool && plan.text === '' ? null : plan.text,
    refusal: null,
    annotations: [],
  };
  if (plan.tool) message.tool_calls = [{ id: plan.tool.id, type: 'function', function: { name: plan.tool.name, arguments: plan.tool.argumentsJson } }];
  return {
    id: fakeId('chatcmpl-'),
    object: 'chat.completion',
    created: unixSeconds(),
    model: plan.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(plan) }],
    usage: chatUsage(plan),
    service_tier: 'default',
    system_fingerprint: 'fp_fake',
  };
}

/**
 * `data: {chunk}` lines: a role chunk, content deltas, tool-call deltas (id and name first, then
 * argument pieces), a finish chunk, the usage chunk (`choices: []`) when
 * `stream_options.include_usage` is set, and `data: [DONE]`.
 */
export function chatStreamFrames(plan: ReplyPlan, includeUsage: boolean): SseFrame[] {
  const base = { id: fakeId('chatcmpl-'), object: 'chat.completion.chunk', created: unixSeconds(), model: plan.model, service_tier: 'default', system_fingerprint: 'fp_fake' };
  const frames: SseFrame[] = [];
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): void => {
    frames.push(jsonFrame({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(includeUsage ? { usage: null } : {}) }));
  };
  const hasText = plan.text !== '' || !plan.tool;
  if (hasText) {
    chunk({ role: 'assistant', content: '', refusal: null });
    for (const content of plan.textPieces) chunk({ content });
  }
  if (plan.tool) {
    const start = { index: 0, id: plan.tool.id, type: 'function', function: { name: plan.tool.name, arguments: '' } };
    chunk(hasText ? { tool_calls: [start] } : { role: 'assistant', content: null, tool_calls: [start], refusal: null });
    for (const piece of plan.tool.argumentPieces) chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
  }
  chunk({}, finishReason(plan));
  if (includeUsage) frames.push(jsonFrame({ ...base, choices: [], usage: chatUsage(plan) }));
  frames.push({ data: '[DONE]' });
  return frames;
}

/** Chat Completions' mid-stream failure: a `data:` line holding an error object. */
export function chatStreamError(): SseFrame {
  return jsonFrame(openaiError(500, 'The server had an error while processing your request.'));
}

export function openaiModelList(ids: readonly string[]): unknown {
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_767_225_600, owned_by: 'fake-provider' })) };
}
