import type { RecordedRequest, ReplyScript, ScriptFn, ToolCallScript } from './types.ts';

export const DEFAULT_TEXT = 'Hello from the fake provider.';

/** Replies: a queue for the next model requests, then the default. */
export interface ScriptControl {
  /** Replaces the default reply (a script or a function of the request). */
  set(script: ReplyScript | ScriptFn): void;
  /** Answers the next `times` model requests (messages, chat, responses) with this, before the default. */
  next(script: ReplyScript | ScriptFn, times?: number): void;
  /** Empties the queue and restores the built-in default. */
  reset(): void;
}

export interface Scripts {
  readonly control: ScriptControl;
  resolve(request: RecordedRequest): ReplyScript;
}

export function createScripts(initial: ReplyScript | ScriptFn = {}): Scripts {
  let fallback = initial;
  const queue: { script: ReplyScript | ScriptFn; left: number }[] = [];
  const run = (s: ReplyScript | ScriptFn, request: RecordedRequest) => (typeof s === 'function' ? s(request) : s);
  return {
    control: {
      set(script) {
        fallback = script;
      },
      next(script, times = 1) {
        queue.push({ script, left: times });
      },
      reset() {
        fallback = {};
        queue.length = 0;
      },
    },
    resolve(request) {
      const head = queue[0];
      if (!head) return run(fallback, request);
      head.left -= 1;
      if (head.left <= 0) queue.shift();
      return run(head.script, request);
    },
  };
}

/** The reply text: the script's, or `textEvents` generated words, or the default. */
export function replyText(script: ReplyScript): string {
  if (script.text !== undefined) return script.text;
  if (script.toolCall) return '';
  if (script.textEvents !== undefined) return Array.from({ length: script.textEvents }, (_, i) => `w${i} `).join('');
  return DEFAULT_TEXT;
}

/** Splits on code points into `n` non-empty pieces (fewer when the text is shorter). */
export function splitPieces(text: string, n: number): string[] {
  const chars = Array.from(text);
  const count = Math.max(1, Math.min(Math.floor(n), chars.length));
  if (chars.length === 0) return [];
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    pieces.push(chars.slice(Math.floor((i * chars.length) / count), Math.floor(((i + 1) * chars.length) / count)).join(''));
  }
  return pieces;
}

/** Which client's tool conventions a scripted call follows. */
export type ToolStyle = 'anthropic' | 'chat' | 'responses';

const DEFAULT_TOOL: Readonly<Record<ToolStyle, string>> = { anthropic: 'Read', chat: 'read', responses: 'exec_command' };

function shellWord(path: string): string {
  return /^[\w./@%+=:,-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}

/** Tool name and input as Claude Code (Read/file_path), opencode (read/filePath) or Codex (exec_command/cmd) send them. */
export function toolCallShape(style: ToolStyle, call: ToolCallScript): { name: string; input: Record<string, unknown> } {
  const name = call.name ?? DEFAULT_TOOL[style];
  if (call.input) return { name, input: call.input };
  if (call.readFile === undefined) return { name, input: {} };
  if (style === 'anthropic') return { name, input: { file_path: call.readFile } };
  if (style === 'chat') return { name, input: { filePath: call.readFile } };
  return { name, input: { cmd: `cat ${shellWord(call.readFile)}` } };
}

/** Output token count the fake reports: about four characters a token, at least 1. */
export function tokensFor(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
