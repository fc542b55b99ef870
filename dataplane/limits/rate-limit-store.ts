/** The outcome of taking one request from a limit. */
export interface RateLimitResult {
  readonly allowed: boolean;
  /** Requests still allowed in the current window after this one (0 when refused). */
  readonly remaining: number;
  /** When refused: milliseconds until one more request would be allowed. 0 when allowed. */
  readonly retryAfterMs: number;
}

/**
 * Where request counts live: in memory for a single instance, Redis when several replicas must
 * share limits. `take` is one atomic check-and-count; a store that cannot answer throws
 * RateLimitStoreUnavailable and the caller applies the fail-open / fail-closed setting.
 */
export interface RateLimitStore {
  readonly kind: 'memory' | 'redis';
  /** Counts one request against `key` if fewer than `limit` were counted in the last `windowMs`. */
  take(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  close(): Promise<void>;
}

/** The shared store did not answer (Redis down, timeout): the caller decides open or closed. */
export class RateLimitStoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RateLimitStoreUnavailable';
  }
}
