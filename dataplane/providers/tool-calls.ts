import type { WireApi } from './route-table.ts';
import { shellReadPaths } from './shell-paths.ts';

/** Tool-input fields that name a file, across Claude Code, opencode, Codex and common MCP tools. */
const PATH_KEYS = ['file_path', 'filePath', 'path', 'notebook_path', 'filename', 'file', 'target_file', 'absolute_path'];
/** Tool-input fields that hold a shell command line. */
const COMMAND_KEYS = ['command', 'cmd', 'script'];

/** A tool result in the body and a way to replace its content. */
export interface ToolResultSlot {
  readonly callId: string;
  replace(notice: string): void;
}

export interface ToolExchange {
  /** The file paths each tool call names, by call id. */
  readonly calls: ReadonlyMap<string, readonly string[]>;
  readonly results: readonly ToolResultSlot[];
}

/** Paths named by one tool call's input (an object, or a JSON string of one). */
export function inputPaths(input: unknown): string[] {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const fields = value as Record<string, unknown>;
  const paths: string[] = [];
  for (const key of PATH_KEYS) {
    const v = fields[key];
    if (typeof v === 'string') paths.push(v);
    else if (Array.isArray(v)) paths.push(...v.filter((x): x is string => typeof x === 'string'));
  }
  const paths2 = fields['paths'];
  if (Array.isArray(paths2)) paths.push(...paths2.filter((x): x is string => typeof x === 'string'));
  for (const key of COMMAND_KEYS) {
    const v = fields[key];
    if (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) paths.push(...shellReadPaths(v as string | string[]));
  }
  return paths;
}

const objects = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)) : []);

/**
 * Finds tool calls and tool results in a request body, for the three wire APIs: Anthropic
 * `tool_use` / `tool_result` blocks, Chat Completions `tool_calls` / `role: tool` messages, and
 * Responses `function_call` / `local_shell_call` / `*_output` items.
 */
export function toolExchange(api: WireApi, body: Record<string, unknown>): ToolExchange {
  const calls = new Map<string, string[]>();
  const results: ToolResultSlot[] = [];
  const addCall = (id: unknown, paths: string[]) => {
    if (typeof id === 'string' && paths.length > 0) calls.set(id, [...(calls.get(id) ?? []), ...paths]);
  };
  if (api === 'anthropic-messages' || api === 'anthropic-count-tokens') {
    for (const message of objects(body['messages'])) {
      for (const block of objects(message['content'])) {
        if (block['type'] === 'tool_use' || block['type'] === 'server_tool_use') addCall(block['id'], inputPaths(block['input']));
        if (block['type'] === 'tool_result' && typeof block['tool_use_id'] === 'string') {
          results.push({ callId: block['tool_use_id'], replace: (notice) => void (block['content'] = notice) });
        }
      }
    }
  } else if (api === 'openai-chat') {
    for (const message of objects(body['messages'])) {
      for (const call of objects(message['tool_calls'])) addCall(call['id'], inputPaths((call['function'] as Record<string, unknown> | undefined)?.['arguments']));
      if (message['role'] === 'tool' && typeof message['tool_call_id'] === 'string') {
        results.push({ callId: message['tool_call_id'], replace: (notice) => void (message['content'] = notice) });
      }
    }
  } else if (api === 'openai-responses') {
    for (const item of objects(body['input'])) {
      const type = item['type'];
      if (type === 'function_call' || type === 'custom_tool_call') addCall(item['call_id'], inputPaths(item['arguments'] ?? item['input']));
      if (type === 'local_shell_call') addCall(item['call_id'], inputPaths((item['action'] as Record<string, unknown> | undefined) ?? {}));
      if ((type === 'function_call_output' || type === 'local_shell_call_output' || type === 'custom_tool_call_output') && typeof item['call_id'] === 'string') {
        results.push({ callId: item['call_id'], replace: (notice) => void (item['output'] = notice) });
      }
    }
  }
  return { calls, results };
}
