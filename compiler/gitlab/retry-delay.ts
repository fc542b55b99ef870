/** Longest wait for one `Retry-After`; a longer one fails the call instead of stalling a compile for hours. */
export const MAX_RETRY_AFTER_MS = 120_000;

/**
 * How long to wait before retrying a 429: GitLab's `Retry-After` (seconds), else `RateLimit-Reset`
 * (epoch seconds, Rack::Attack), else the fallback. Undefined when the server asks for more than
 * the cap.
 */
export function retryAfterMs(headers: Readonly<Record<string, string | string[] | undefined>>, fallbackMs: number, now = Date.now(), capMs = MAX_RETRY_AFTER_MS): number | undefined {
  const first = (name: string) => {
    const v = headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  let ms = fallbackMs;
  const after = first('retry-after');
  const reset = first('ratelimit-reset');
  if (after !== undefined && /^\d+$/.test(after.trim())) ms = Number(after) * 1000;
  else if (after !== undefined && !Number.isNaN(Date.parse(after))) ms = Date.parse(after) - now;
  else if (reset !== undefined && /^\d+$/.test(reset.trim())) ms = Number(reset) * 1000 - now;
  ms = Math.max(0, ms);
  return ms > capMs ? undefined : ms;
}
