import type { HandlerContext } from './route-types.ts';

/**
 * Grape's params: the query string merged with a JSON or form-encoded body (GitLab accepts both;
 * gitbeaker sends JSON, `curl --data-urlencode` sends a form). Non-string JSON values are kept
 * as their JSON text so a handler can validate them like Grape would.
 */
export function requestParams(ctx: HandlerContext): Record<string, string> {
  const out: Record<string, string> = { ...ctx.query };
  const text = ctx.body.toString('utf8').trim();
  if (text === '') return out;
  if (text.startsWith('{')) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
      return out;
    } catch {
      // Not JSON after all: fall through to form decoding, as Rack would.
    }
  }
  for (const [k, v] of new URLSearchParams(text)) out[k] = v;
  return out;
}
