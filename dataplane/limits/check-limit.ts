/** Both stores refuse nonsense limits the same way: a zero or fractional limit is a caller bug, not "deny all". */
export function checkLimit(limit: number, windowMs: number): void {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`rate limit: limit must be a positive integer (got ${limit})`);
  if (!Number.isSafeInteger(windowMs) || windowMs < 1) throw new TypeError(`rate limit: windowMs must be a positive integer (got ${windowMs})`);
}
