import type { IncomingMessage, ServerResponse } from 'node:http';
import { Exchange } from './exchange.ts';
import type { Faults } from './faults.ts';
import { fakeId } from './ids.ts';
import { sendReply } from './replies.ts';
import { presentedKey, resolveRoute } from './route.ts';
import type { Scripts } from './script.ts';
import type { RecordedRequest } from './types.ts';

export interface ServerParts {
  keys: () => readonly string[];
  faults: Faults;
  scripts: Scripts;
  models: { anthropic: readonly string[]; openai: readonly string[] };
  log: (record: RecordedRequest) => void;
  nextSeq: () => number;
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headersDistinct)) if (value) out[name.toLowerCase()] = value.join(', ');
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) reject(new Error('client closed the request body'));
    });
  });
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Why a body the real API would reject with 400 is invalid, or undefined when it passes. */
function bodyProblem(record: RecordedRequest): string | undefined {
  const body = record.json;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return record.flavour === 'anthropic' ? 'There was an error parsing the body of your request.' : 'We could not parse the JSON body of your request.';
  }
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string') return record.flavour === 'anthropic' ? 'model: Field required' : 'you must provide a model parameter';
  if (record.route === 'anthropic.messages' && typeof b.max_tokens !== 'number') return 'max_tokens: Field required';
  if ((record.route === 'anthropic.messages' || record.route === 'anthropic.count_tokens' || record.route === 'openai.chat') && !Array.isArray(b.messages)) {
    return record.flavour === 'anthropic' ? 'messages: Field required' : "Missing required parameter: 'messages'.";
  }
  return undefined;
}

/** Auth, version and body checks in the order the real APIs apply them; an error reply or undefined. */
function rejection(record: RecordedRequest): { status: number; message: string; code?: null } | undefined {
  if (record.flavour === 'anthropic') {
    if (record.key === undefined) return { status: 401, message: 'x-api-key header is required' };
    if (record.keyIndex < 0) return { status: 401, message: 'invalid x-api-key' };
    if (!record.headers['anthropic-version']) return { status: 400, message: 'anthropic-version: header is required' };
  } else if (record.flavour === 'openai') {
    if (record.key === undefined) return { status: 401, message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", code: null };
    if (record.keyIndex < 0) return { status: 401, message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.' };
  }
  if (record.method !== 'POST' || record.route === 'echo') return undefined;
  const problem = bodyProblem(record);
  return problem === undefined ? undefined : { status: 400, message: problem };
}

export async function handleRequest(parts: ServerParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const t0 = performance.now();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const headers = lowerHeaders(req);
  const { route, flavour } = resolveRoute(req.method ?? 'GET', path, headers);
  const { key, scheme } = presentedKey(headers, flavour !== 'openai');
  const record: RecordedRequest = {
    seq: parts.nextSeq(),
    method: req.method ?? 'GET',
    path,
    rawQuery,
    query: Object.fromEntries(new URLSearchParams(rawQuery)),
    headers,
    bodyText: '',
    json: undefined,
    route,
    flavour,
    stream: false,
    key,
    authScheme: scheme,
    keyIndex: key === undefined ? -1 : parts.keys().indexOf(key),
    requestId: fakeId('req_'),
    status: 0,
    fault: undefined,
    eventsSent: 0,
    clientAborted: false,
    reset: false,
    completed: false,
    timings: { startedAt: performance.timeOrigin + t0 },
  };
  parts.log(record);
  const ex = new Exchange(req, res, record, t0);
  try {
    record.bodyText = await readBody(req);
  } catch {
    record.clientAborted = true;
    return;
  }
  record.timings.bodyMs = ex.elapsed();
  record.json = parseJson(record.bodyText);
  record.stream = route !== 'echo' && (record.json as { stream?: unknown } | undefined)?.stream === true;
  const rejected = rejection(record);
  if (rejected) return ex.sendError(rejected.status, rejected.message, undefined, rejected.code);
  const fault = parts.faults.take(record);
  record.fault = fault;
  if (fault?.latencyMs) await ex.wait(fault.latencyMs);
  if (ex.closed) return;
  if (fault?.status !== undefined) return ex.sendError(fault.status, fault.message, fault);
  await sendReply({ ex, fault, scripts: parts.scripts, models: parts.models });
}
