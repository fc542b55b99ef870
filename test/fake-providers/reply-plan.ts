import { fakeId } from './ids.ts';
import { replyText, splitPieces, tokensFor, toolCallShape, type ToolStyle } from './script.ts';
import type { RecordedRequest, ReplyScript } from './types.ts';

export interface PlannedToolCall {
  id: string;
  name: string;
  /** The arguments as JSON text, and the same split into streaming deltas. */
  argumentsJson: string;
  argumentPieces: string[];
  input: Record<string, unknown>;
}

/** Everything a flavour needs to render one reply, decided once per request. */
export interface ReplyPlan {
  model: string;
  text: string;
  textPieces: string[];
  tool: PlannedToolCall | undefined;
  inputTokens: number;
  outputTokens: number;
  eventDelayMs: number;
}

function requestModel(request: RecordedRequest): string {
  const json = request.json as { model?: unknown } | undefined;
  return typeof json?.model === 'string' ? json.model : 'fake-model';
}

export function planReply(script: ReplyScript, request: RecordedRequest, style: ToolStyle): ReplyPlan {
  const text = replyText(script);
  const textPieces = splitPieces(text, script.textEvents ?? Math.max(1, Math.ceil(Array.from(text).length / 8)));
  let tool: PlannedToolCall | undefined;
  if (script.toolCall) {
    const { name, input } = toolCallShape(style, script.toolCall);
    const argumentsJson = JSON.stringify(input);
    const idPrefix = style === 'anthropic' ? 'toolu_' : 'call_';
    tool = { id: script.toolCall.id ?? fakeId(idPrefix), name, input, argumentsJson, argumentPieces: splitPieces(argumentsJson, script.toolCall.argumentEvents ?? 3) };
  }
  return {
    model: script.model ?? requestModel(request),
    text,
    textPieces,
    tool,
    inputTokens: script.usage?.inputTokens ?? tokensFor(request.bodyText),
    outputTokens: script.usage?.outputTokens ?? tokensFor(text + (tool?.argumentsJson ?? '')),
    eventDelayMs: script.eventDelayMs ?? 0,
  };
}
