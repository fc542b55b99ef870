/** Public types of the fake AI providers (see README.md). */

/** Which wire format a request was answered in. */
export type Flavour = 'anthropic' | 'openai' | 'echo';

export type RouteName =
  | 'anthropic.messages'
  | 'anthropic.count_tokens'
  | 'anthropic.models'
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.models'
  | 'echo'
  | 'not_found';

/** A scripted tool call; each flavour fills in the argument shape its real clients use. */
export interface ToolCallScript {
  /**
   * The absolute file the model asks to read. Anthropic: tool `Read`, input `{file_path}` (Claude
   * Code); chat: tool `read`, arguments `{"filePath":…}` (opencode); responses: tool
   * `exec_command`, arguments `{"cmd":"cat <path>"}` (Codex).
   */
  readFile?: string;
  /** Overrides the flavour's default tool name. */
  name?: string;
  /** Exact input object (Anthropic) / arguments object (OpenAI); wins over `readFile`. */
  input?: Record<string, unknown>;
  /** How many argument deltas the JSON is split into when streaming (default 3). */
  argumentEvents?: number;
  /** Fixed call id (`toolu_…` / `call_…`); random by default. */
  id?: string;
}

/** What the fake model answers. Every field is optional. */
export interface ReplyScript {
  /** Reply text (default `Hello from the fake provider.`). */
  text?: string;
  /**
   * Number of text delta events when streaming. The text is split into this many non-empty pieces
   * (capped at its length). Without `text`, a text of exactly this many words is generated.
   */
  textEvents?: number;
  /** The model calls a tool after the text (or instead of it when `text` is `''`). */
  toolCall?: ToolCallScript;
  /** Delay before every SSE event after the first (a slow stream). */
  eventDelayMs?: number;
  /** Model name in the reply; default: the request's `model`. */
  model?: string;
  /** Usage figures; defaults are derived from the body and reply lengths. */
  usage?: { inputTokens?: number; outputTokens?: number };
}

/** Which requests a fault applies to; all given conditions must hold. */
export interface FaultMatch {
  flavour?: Flavour;
  route?: RouteName;
  /** Tested against the path without the query string. */
  path?: RegExp | string;
  /** Index of the configured key the request authenticated with. */
  keyIndex?: number;
  /** Only streaming (true) or only non-streaming (false) requests. */
  stream?: boolean;
}

/**
 * A failure for the next `times` matching requests. Fields combine: `latencyMs` waits first, then
 * `status` answers an error, else the normal reply is sent and `resetAfterEvents` /
 * `streamErrorAfterEvents` cut it.
 */
export interface FaultSpec {
  /** How many matching requests it affects (default 1; `Infinity` = until cleared). */
  times?: number;
  match?: FaultMatch;
  /** Delay before the response headers (time to first byte). */
  latencyMs?: number;
  /** Answer this HTTP status with an error body in the request's flavour (429, 401, 500, 529, …). */
  status?: number;
  /** `retry-after` header value in seconds (default 1 for 429, none otherwise). */
  retryAfter?: number;
  /** `retry-after-ms` header (both SDKs prefer it over `retry-after`). */
  retryAfterMs?: number;
  /** `x-should-retry` header, which both SDKs obey over their status rules. */
  shouldRetry?: boolean;
  /** Error message; default per status. */
  message?: string;
  /** Raw error body instead of the flavour's JSON (e.g. an HTML 502 from a load balancer). */
  body?: { text: string; contentType: string };
  /**
   * Reset the connection after this many SSE events (ping and `[DONE]` count). 0 resets before any
   * response byte. Non-streaming replies with a value above 0 are cut after the headers and half
   * of the body.
   */
  resetAfterEvents?: number;
  /** Send the flavour's in-stream error event after this many events, then end the stream. */
  streamErrorAfterEvents?: number;
  /** Override the script's per-event delay for this request. */
  eventDelayMs?: number;
}

/** Server-side timings in milliseconds since the request's first byte was parsed. */
export interface RequestTimings {
  /** Wall clock of arrival (ms since the epoch, fractional). */
  startedAt: number;
  bodyMs?: number;
  headersMs?: number;
  firstEventMs?: number;
  endMs?: number;
}

/** One request as the fake saw it; fields after `json` fill in while it is answered. */
export interface RecordedRequest {
  /** 1, 2, … in arrival order. */
  seq: number;
  method: string;
  /** Raw path without the query string. */
  path: string;
  /** Raw query string without `?` ('' when none). */
  rawQuery: string;
  query: Record<string, string>;
  /** Every header, lowercased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  bodyText: string;
  /** Parsed body, `undefined` when empty or not JSON. */
  json: unknown;
  route: RouteName;
  flavour: Flavour;
  stream: boolean;
  /** The presented provider key (a fake key, safe to log), from `x-api-key` or Bearer. */
  key: string | undefined;
  authScheme: 'x-api-key' | 'bearer' | undefined;
  /** Index in `keys`, -1 when missing or unknown. */
  keyIndex: number;
  /** The id sent back in `request-id` / `x-request-id`. */
  requestId: string;
  /** Response status; 0 when the connection was reset before headers. */
  status: number;
  fault: FaultSpec | undefined;
  /** SSE events written (streaming only). */
  eventsSent: number;
  /** The client closed the connection before the response ended. */
  clientAborted: boolean;
  /** The fake reset the connection on purpose. */
  reset: boolean;
  /** The response ended normally. */
  completed: boolean;
  timings: RequestTimings;
}

export interface FakeProviderOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Accepted provider keys (default `['fake-key-0']`). */
  keys?: readonly string[];
  /** Default reply, or a function of the request (e.g. text once a tool result came back). */
  script?: ReplyScript | ScriptFn;
  /** Faults active from the start. */
  faults?: readonly FaultSpec[];
  /** Keep only the newest N log entries (benchmarks: bodies of ~80 KB add up). Default: all. */
  logLimit?: number;
  /** Served by `GET /v1/models`. */
  models?: { anthropic?: readonly string[]; openai?: readonly string[] };
}

export type ScriptFn = (request: RecordedRequest) => ReplyScript;
