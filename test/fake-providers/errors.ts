import type { Flavour } from './types.ts';

const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const DEFAULT_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Invalid request.',
  401: 'invalid x-api-key',
  403: 'Your API key does not have permission to use the specified resource.',
  404: 'Not found.',
  429: 'This request would exceed the rate limit for your organization. Please try again later.',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  529: 'Overloaded',
};

function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? `Fake provider error ${status}`;
}

/** `{"type":"error","error":{type,message},"request_id"}`, the body of every Anthropic API error. */
export function anthropicError(status: number, requestId: string, message?: string): unknown {
  const type = ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { type: 'error', error: { type, message: message ?? defaultMessage(status) }, request_id: requestId };
}

function openaiTypeAndCode(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'invalid_request_error', code: 'unsupported_country_region_territory' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

/** `{"error":{message,type,param,code}}`, the body of every OpenAI API error. */
export function openaiError(status: number, message?: string, code?: string | null): unknown {
  const base = openaiTypeAndCode(status);
  return { error: { message: message ?? defaultMessage(status), type: base.type, param: null, code: code === undefined ? base.code : code } };
}

export function errorBody(flavour: Flavour, status: number, requestId: string, message?: string, openaiCode?: string | null): unknown {
  return flavour === 'anthropic' ? anthropicError(status, requestId, message) : openaiError(status, message, openaiCode);
}
