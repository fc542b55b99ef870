import { request, type Dispatcher } from 'undici';
import { DuoError } from './duo-error.ts';

export type DirectAccessEndpoint = 'third_party_agents' | 'code_suggestions';

const PATHS: Readonly<Record<DirectAccessEndpoint, string>> = {
  third_party_agents: '/api/v4/ai/third_party_agents/direct_access',
  code_suggestions: '/api/v4/code_suggestions/direct_access',
};

/** A direct_access answer as GitLab sends it (201). Holds the gateway token: never log it. */
export interface DirectAccessPayload {
  readonly token: string;
  /** Epoch ms, or null when GitLab sent none. */
  readonly expiresAt: number | null;
  readonly headers: Readonly<Record<string, string>>;
  /** code_suggestions only: the AI gateway's URL. */
  readonly baseUrl: string | null;
  /** The answer without `token`, for model discovery (`model_details`, `models`, …). */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** `fallback`: the other endpoint may still work (this one is absent or refused for this user). */
export type DirectAccessOutcome = { readonly ok: true; readonly payload: DirectAccessPayload } | { readonly ok: false; readonly fallback: boolean; readonly error: DuoError };

export interface DirectAccessTarget {
  /** GitLab origin plus any relative URL root, without a trailing slash. */
  readonly gitlabUrl: string;
  readonly dispatcher: Dispatcher;
  readonly timeoutMs: number;
}

const MAX_BODY = 256 * 1024;

async function readText(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** GitLab's own wording (`message`, `message.error` or `error`), short and printable, for the user. */
function gitlabMessage(json: unknown): string {
  const o = (json ?? {}) as Record<string, unknown>;
  const m = o['message'];
  const raw = typeof m === 'string' ? m : typeof (m as Record<string, unknown> | undefined)?.['error'] === 'string' ? String((m as Record<string, unknown>)['error']) : typeof o['error'] === 'string' ? o['error'] : '';
  return raw.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
}

function retryAfterSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

function parsePayload(json: unknown): DirectAccessPayload | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const { token, expires_at: expiresAt, headers, base_url: baseUrl, ...rest } = json as Record<string, unknown>;
  if (typeof token !== 'string' || token === '') return undefined;
  // `headers: null` happens; anything that is not a string map is dropped rather than trusted.
  const map: Record<string, string> = {};
  if (typeof headers === 'object' && headers !== null && !Array.isArray(headers)) {
    for (const [k, v] of Object.entries(headers)) if (typeof v === 'string') map[k] = v;
  }
  return {
    token,
    expiresAt: typeof expiresAt === 'number' && expiresAt > 0 ? expiresAt * 1000 : null,
    headers: map,
    baseUrl: typeof baseUrl === 'string' && baseUrl !== '' ? baseUrl : null,
    metadata: { ...rest, ...(typeof baseUrl === 'string' ? { base_url: baseUrl } : {}) },
  };
}

/** Sorts a refusal into a stable code; `fallback` only where the other endpoint may still answer. */
function classify(endpoint: DirectAccessEndpoint, status: number, json: unknown, headers: Record<string, unknown>): DirectAccessOutcome {
  const said = gitlabMessage(json);
  const fail = (code: ConstructorParameters<typeof DuoError>[0], message: string, fallback = false, retryAfter?: number): DirectAccessOutcome => ({
    ok: false,
    fallback,
    error: new DuoError(code, message, retryAfter === undefined ? {} : { retryAfter }),
  });
  const scopeError = (json as Record<string, unknown> | undefined)?.['error'] === 'insufficient_scope';
  if (status === 401) {
    // code_suggestions marks "no Code Suggestions access" with this header; a bad token has none.
    if (headers['x-gitlab-error-origin'] === 'monolith') return fail('duo_not_enabled', 'GitLab Duo is not available to this user (no Code Suggestions or Agent Platform access)');
    return fail('auth_invalid', 'GitLab rejected the token when asked for a Duo credential; sign in again (aigate login) or use a valid token');
  }
  if (status === 403 && scopeError) return fail('auth_insufficient_scope', 'the GitLab token needs the ai_features (or api) scope to use GitLab Duo');
  if (status === 403 && /direct connections are disabled/i.test(said)) return fail('duo_not_enabled', 'the GitLab administrator disabled direct connections to the AI gateway (Direct connections are disabled)', endpoint === 'third_party_agents');
  if (status === 403) return fail('duo_not_enabled', `GitLab Duo is not enabled for this user${said ? ` (${said})` : ''}`, endpoint === 'third_party_agents');
  if (status === 404) return fail('duo_not_enabled', 'this GitLab instance does not offer GitLab Duo direct access', endpoint === 'third_party_agents');
  if (status === 402) return fail('duo_payment_required', `GitLab Duo refused: no credits left for this user's namespace${said ? ` (${said})` : ''}`);
  if (status === 429) return fail('duo_rate_limited', 'GitLab limits Duo credentials to 10 per 5 minutes per user; try again shortly', false, retryAfterSeconds(headers['retry-after']));
  if (/default GitLab Duo namespace/i.test(said)) return fail('duo_not_enabled', 'choose a default GitLab Duo namespace in your GitLab preferences, then try again');
  return fail('duo_unavailable', `GitLab could not provide a Duo credential (HTTP ${status}${said ? `: ${said}` : ''})`);
}

/**
 * One POST to a direct_access endpoint with the user's (or the service account's) GitLab token.
 * Redirects are not followed: the token would go wherever a redirect points.
 */
export async function requestDirectAccess(target: DirectAccessTarget, endpoint: DirectAccessEndpoint, gitlabToken: string): Promise<DirectAccessOutcome> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(`${target.gitlabUrl}${PATHS[endpoint]}`, {
      method: 'POST',
      dispatcher: target.dispatcher,
      headers: { authorization: `Bearer ${gitlabToken}`, accept: 'application/json', 'content-type': 'application/json' },
      // Third-party clients send this flag; code_suggestions takes no body.
      body: endpoint === 'third_party_agents' ? '{"feature_flags":{"DuoAgentPlatformNext":true}}' : '{}',
      signal: AbortSignal.timeout(target.timeoutMs),
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
    });
  } catch (error) {
    return { ok: false, fallback: false, error: new DuoError('duo_unavailable', `GitLab is unreachable for Duo credentials (${error instanceof Error ? error.name : 'error'})`) };
  }
  let text: string;
  try {
    text = await readText(response.body);
  } catch (error) {
    return { ok: false, fallback: false, error: new DuoError('duo_unavailable', `GitLab's Duo answer was cut off (${error instanceof Error ? error.name : 'error'})`) };
  }
  const json = parseJson(text);
  if (response.statusCode === 200 || response.statusCode === 201) {
    const payload = parsePayload(json);
    return payload ? { ok: true, payload } : { ok: false, fallback: false, error: new DuoError('duo_unavailable', 'GitLab sent an unreadable Duo credential') };
  }
  return classify(endpoint, response.statusCode, json, response.headers);
}
