import { STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import { UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';

/** What one `--org-policy URL` or `--bundle URL` download needs to know. */
export interface FetchSpec {
  /** "the org policy", "the bundle": how messages name it. */
  readonly what: string;
  readonly url: string;
  /** The environment variable holding the token (`--…-token-env NAME`), if any. */
  readonly tokenEnv: string | undefined;
  /** The option naming it, for messages: `--org-policy-token-env`. */
  readonly tokenOption: string;
  /** The header(s) that carry the token. */
  readonly authHeaders: (token: string) => Record<string, string>;
  /** Who issues a token the server accepts, for the hint after a 401 or 403. */
  readonly tokenHint: string;
  readonly notFoundHint: string;
  readonly accept: string;
  readonly maxBytes: number;
}

export interface Fetched {
  readonly text: string;
  /** The URL as messages and reports show it: no user info, token-like query values masked. */
  readonly shown: string;
}

const TIMEOUT_MS = 30_000;
/** Extra attempts after a connection error, 429, 502, 503 or 504 (a CI job should not fail on a blip). */
const RETRIES = 2;
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const MAX_RETRY_WAIT_MS = 2000;

/** `--org-policy` and `--bundle` take a file, or an http(s) URL. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/**
 * Downloads one policy source. Every failure is a UsageError (exit 2, like an unreadable file) whose
 * message names the URL as `shown` and never the token: the token is scrubbed from anything the
 * server or the network stack says before it is printed, because CI job logs are widely readable.
 */
export async function fetchSource(command: string, spec: FetchSpec, io: CliIo): Promise<Fetched> {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new UsageError(`aigate ${command}: the URL of ${spec.what} is not a valid URL`);
  }
  const shown = showUrl(url);
  // Credentials in a URL end up in shell history, CI logs and proxies' access logs.
  if (url.username || url.password) throw new UsageError(`aigate ${command}: the URL of ${spec.what} (${shown}) carries a user name or password`, `keep the token in an environment variable and pass ${spec.tokenOption} NAME`);
  const token = readToken(command, spec, io, url);
  const scrub = (text: string) => (token ? text.replaceAll(token, '****') : text);
  const fail = (detail: string, hint?: string) => new UsageError(scrub(`aigate ${command}: cannot fetch ${spec.what} from ${shown}: ${detail}`), hint === undefined ? undefined : scrub(hint));
  const headers = { accept: spec.accept, 'user-agent': 'aigate-dry-run', ...(token ? spec.authHeaders(token) : {}) };

  for (let attempt = 0; ; attempt++) {
    let res: Dispatcher.ResponseData;
    const signal = AbortSignal.timeout(TIMEOUT_MS);
    try {
      // undici does not follow redirects: a token must not follow one to another host.
      res = await request(url, { method: 'GET', headers, signal });
    } catch (error) {
      if (attempt < RETRIES) {
        await sleep(backoff(attempt));
        continue;
      }
      throw fail(networkDetail(error), tlsHint(error));
    }
    if (RETRY_STATUSES.has(res.statusCode) && attempt < RETRIES) {
      await res.body.dump();
      await sleep(retryAfterMs(res.headers['retry-after']) ?? backoff(attempt));
      continue;
    }
    if (res.statusCode !== 200) {
      const said = serverMessage(await readCapped(res.body, 4096).catch(() => ''));
      throw fail(`HTTP ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}${said ? ` (${said})` : ''}`.replace(/ +$/, ''), statusHint(res, spec, token !== undefined, attempt));
    }
    if (/\btext\/html\b/i.test(String(res.headers['content-type'] ?? ''))) {
      await res.body.dump();
      throw fail('the server answered with an HTML page', 'a web page or a sign-in page? For a file in GitLab use the API: …/api/v4/projects/:id/repository/files/:path/raw?ref=REF');
    }
    let text: string | undefined;
    try {
      text = await readCapped(res.body, spec.maxBytes);
    } catch (error) {
      throw fail(networkDetail(error));
    }
    if (text === undefined) throw fail(`the answer is larger than ${spec.maxBytes} bytes`);
    return { text, shown };
  }
}

function readToken(command: string, spec: FetchSpec, io: CliIo, url: URL): string | undefined {
  const name = spec.tokenEnv;
  if (name === undefined) return undefined;
  const token = io.env[name]?.trim();
  if (!token) throw new UsageError(`aigate ${command}: ${spec.tokenOption} ${name}: that environment variable is not set or is empty`);
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`aigate ${command}: the token in $${name} holds characters an HTTP header cannot carry`);
  // Plain http on a network lets anyone on the path read the token; loopback stays on this machine.
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) throw new UsageError(`aigate ${command}: refusing to send the token in $${name} over plain http to ${url.host}`, 'use an https:// URL');
  return token;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The URL for messages: no user info, and query values whose names look secret masked (`?private_token=`). */
export function showUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  const secret = [...copy.searchParams.keys()].filter((k) => /token|key|secret|password|auth|sig/i.test(k));
  for (const k of new Set(secret)) copy.searchParams.set(k, '****');
  return copy.href;
}

function backoff(attempt: number): number {
  return 500 * 2 ** attempt;
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_WAIT_MS) : undefined;
}

/** The body as UTF-8, or undefined once it passes `max` bytes (the rest is not read). */
async function readCapped(body: Dispatcher.ResponseData['body'], max: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A short reason from an error body: GitLab's `{"message": "404 File Not Found"}` or
 * `{"error": "…"}`, the compiler service's `{"error": {"code": "bundle_not_published"}}`. Only plain
 * short text is kept: a body is the server's to fill, and it is printed.
 */
function serverMessage(body: string | undefined): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? '');
  } catch {
    return undefined;
  }
  const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { message?: unknown; error?: unknown };
  const error = (typeof o.error === 'object' && o.error !== null ? o.error : {}) as { code?: unknown; message?: unknown };
  const said = [o.message, o.error, error.code].find((v): v is string => typeof v === 'string');
  return said !== undefined && /^[\p{L}\p{N} .,:;'()_/-]{1,120}$/u.test(said) ? said : undefined;
}

function statusHint(res: Dispatcher.ResponseData, spec: FetchSpec, withToken: boolean, attempt: number): string | undefined {
  const status = res.statusCode;
  if (status === 401 || status === 403) return withToken ? `the token in $${spec.tokenEnv} was refused or may not read this: ${spec.tokenHint}` : `the server wants a token: put it in an environment variable and pass ${spec.tokenOption} NAME`;
  if (status === 404) return spec.notFoundHint;
  if (status >= 300 && status < 400) return 'redirects are not followed (a token must not follow one to another host): give the final URL';
  if (RETRY_STATUSES.has(status)) return `still failing after ${attempt + 1} attempts`;
  return undefined;
}

/** What went wrong on the network, from the error's code: undici's messages are not shown whole. */
function networkDetail(error: unknown): string {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; cause?: { code?: unknown } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const code = typeof e.code === 'string' ? e.code : typeof e.cause?.code === 'string' ? e.cause.code : undefined;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  return code ?? (error instanceof Error ? error.message : 'network error');
}

function tlsHint(error: unknown): string | undefined {
  const e = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  const code = String(e.code ?? e.cause?.code ?? '');
  return /CERT|SSL|TLS|SELF_SIGNED/.test(code) ? 'for a private CA, point NODE_EXTRA_CA_CERTS at its certificate file' : undefined;
}
