import { fakeId, unixSeconds } from './ids.ts';
import type { ReplyPlan } from './reply-plan.ts';
import { jsonFrame, type SseFrame } from './sse.ts';

/** Shapes of the Responses API as `openai` 7.x types and its strict stream accumulator checks them. */

type Item = Record<string, unknown>;

function responseUsage(plan: ReplyPlan) {
  return {
    input_tokens: plan.inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: plan.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: plan.inputTokens + plan.outputTokens,
  };
}

/** Output items with stable ids, built once so the streamed and final shapes agree. */
function outputItems(plan: ReplyPlan): { message: Item | undefined; call: Item | undefined } {
  const message = plan.text !== '' || !plan.tool ? { id: fakeId('msg_'), type: 'message', status: 'completed', content: [textPart(plan.text)], role: 'assistant' } : undefined;
  const call = plan.tool ? { id: fakeId('fc_'), type: 'function_call', status: 'completed', arguments: plan.tool.argumentsJson, call_id: plan.tool.id, name: plan.tool.name } : undefined;
  return { message, call };
}

function textPart(text: string): Item {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function envelope(id: string, plan: ReplyPlan, request: Record<string, unknown>, status: string, output: Item[], withUsage: boolean): Item {
  const createdAt = unixSeconds();
  return {
    id,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    completed_at: status === 'completed' ? createdAt : null,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    model: plan.model,
    output,
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: request.previous_response_id ?? null,
    prompt_cache_key: request.prompt_cache_key ?? null,
    reasoning: { effort: null, summary: null },
    service_tier: 'default',
    store: request.store ?? true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: withUsage ? responseUsage(plan) : null,
    metadata: {},
    access_programs: null,
  };
}

/** The non-streaming `POST /v1/responses` body. */
export function responseObject(plan: ReplyPlan, request: Record<string, unknown>): unknown {
  const { message, call } = outputItems(plan);
  return envelope(fakeId('resp_'), plan, request, 'completed', [message, call].filter((i) => i !== undefined), true);
}

/**
 * `event: <type>` + `data:` pairs with a running `sequence_number`: response.created,
 * response.in_progress, then per item output_item.added → (content_part.added,
 * output_text.delta…, output_text.done, content_part.done | function_call_arguments.delta…,
 * function_call_arguments.done) → output_item.done, and response.completed with the full output.
 */
export function responseStreamFrames(plan: ReplyPlan, request: Record<string, unknown>): SseFrame[] {
  const id = fakeId('resp_');
  const { message, call } = outputItems(plan);
  const frames: SseFrame[] = [];
  const push = (type: string, fields: Item): void => {
    frames.push(jsonFrame({ type, ...fields, sequence_number: frames.length }, type));
  };
  push('response.created', { response: envelope(id, plan, request, 'in_progress', [], false) });
  push('response.in_progress', { response: envelope(id, plan, request, 'in_progress', [], false) });
  const done: Item[] = [];
  if (message) {
    const output_index = done.length;
    const item_id = message.id;
    push('response.output_item.added', { output_index, item: { ...message, status: 'in_progress', content: [] } });
    push('response.content_part.added', { item_id, output_index, content_index: 0, part: textPart('') });
    for (const delta of plan.textPieces) push('response.output_text.delta', { item_id, output_index, content_index: 0, delta, logprobs: [] });
    push('response.output_text.done', { item_id, output_index, content_index: 0, text: plan.text, logprobs: [] });
    push('response.content_part.done', { item_id, output_index, content_index: 0, part: textPart(plan.text) });
    push('response.output_item.done', { output_index, item: message });
    done.push(message);
  }
  if (call && plan.tool) {
    const output_index = done.length;
    const item_id = call.id;
    push('response.output_item.added', { output_index, item: { ...call, status: 'in_progress', arguments: '' } });
    for (const delta of plan.tool.argumentPieces) push('response.function_call_arguments.delta', { item_id, output_index, delta });
    push('response.function_call_arguments.done', { item_id, output_index, arguments: plan.tool.argumentsJson });
    push('response.output_item.done', { output_index, item: call });
    done.push(call);
  }
  push('response.completed', { response: envelope(id, plan, request, 'completed', done, true) });
  return frames;
}

/** The Responses API's mid-stream failure event. */
export function responseStreamError(sequenceNumber: number): SseFrame {
  return jsonFrame({ type: 'error', code: 'server_error', message: 'The server had an error while processing your request.', param: null, sequence_number: sequenceNumber }, 'error');
}
