import type { RateLimitsV1 } from '../../policy/bundle-types.ts';
import { DataplaneError } from '../codes.ts';
import { RateLimitStoreUnavailable, type RateLimitStore } from '../limits/rate-limit-store.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';

const HOUR = 3_600_000;

/** What to do when the shared store does not answer. */
export type StoreDownPolicy = 'open' | 'closed' | 'strict-closed';

/**
 * rate limit: the org policy's per-user and per-repo requests per hour (the effective, tightest
 * values for this repository). Counted after the policy allowed the request, so denied requests
 * do not use up a user's budget.
 */
export function rateLimit(store: RateLimitStore, whenDown: StoreDownPolicy): Stage {
  return async function rateLimit(ctx) {
    const limits: RateLimitsV1 | undefined = ctx.decision?.allow ? ctx.decision.rateLimits : undefined;
    if (!limits) return undefined;
    const checks: [string, number, string][] = [];
    if (limits.per_user !== null && ctx.user) checks.push([`user:${ctx.user.id}`, limits.per_user, `your limit of ${limits.per_user} AI requests per hour`]);
    if (limits.per_repo !== null && ctx.project) checks.push([`repo:${ctx.project.id}`, limits.per_repo, `the limit of ${limits.per_repo} AI requests per hour for ${ctx.project.path}`]);
    for (const [key, limit, what] of checks) {
      let result;
      try {
        result = await store.take(key, limit, HOUR);
      } catch (error) {
        if (!(error instanceof RateLimitStoreUnavailable)) throw error;
        const closed = whenDown === 'closed' || (whenDown === 'strict-closed' && limits.strict);
        if (closed) return new DataplaneError('rate_limit_unavailable', 'aigate: request limits cannot be checked right now, so requests are refused; try again shortly', { retryAfter: 10 });
        continue;
      }
      if (!result.allowed) return new DataplaneError('rate_limited', `aigate: ${what} is used up; try again in ${Math.ceil(result.retryAfterMs / 60_000)} min`, { retryAfter: result.retryAfterMs / 1000 });
    }
    return undefined;
  };
}
