import { createHash } from 'node:crypto';
import { Agent, type Dispatcher } from 'undici';
import { createMemoryRateLimitStore } from '../limits/memory-store.ts';
import type { RateLimitStore } from '../limits/rate-limit-store.ts';
import { requestDirectAccess, type DirectAccessEndpoint } from './direct-access.ts';
import { buildCredential, type DuoCredential } from './duo-credential.ts';
import { DuoError } from './duo-error.ts';
import { DEFAULT_GATEWAY_URL, normalizeGatewayUrl } from './gateway-url.ts';

export interface DuoCredentialsOptions {
  /** GitLab base URL (a relative URL root such as `https://host/gitlab` is kept). */
  readonly gitlabUrl: string;
  /** `per-user`: each user's own GitLab token; otherwise one service-account token for everyone. */
  readonly mode: 'per-user' | { readonly serviceAccountToken: string };
  /** Pinned gateway URL; default: GitLab's `base_url` when it sends one, else GitLab.com's gateway. */
  readonly gatewayUrl?: string;
  readonly dispatcher?: Dispatcher;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  /** GitLab's documented limit, enforced here first: 10 calls per 5 minutes per user. */
  readonly budget?: { readonly limit: number; readonly windowMs: number };
  /** Where the budget is counted; a Redis store shares it between replicas. Default: in memory. */
  readonly budgetStore?: RateLimitStore;
  /** Refresh this long before `expires_at` (capped at half the credential's life). */
  readonly refreshMarginMs?: number;
  /** Assumed lifetime when GitLab sends no `expires_at`. */
  readonly defaultLifetimeMs?: number;
  readonly maxEntries?: number;
}

export interface DuoCredentials {
  /** A valid credential for this user, from the cache or from GitLab. Throws DuoError. */
  get(userId: number | string, gitlabToken: string): Promise<DuoCredential>;
  /** The cached credential, without asking GitLab (for model lists). */
  peek(userId: number | string, gitlabToken: string): DuoCredential | undefined;
  /**
   * Drops the cached credential after the gateway refused it (401), so the next `get` fetches a new
   * one. With `failed`, only if that is still the cached one: of many requests refused together,
   * only the first forces a new credential.
   */
  invalidate(userId: number | string, gitlabToken: string, failed?: DuoCredential): void;
  readonly stats: { readonly directAccessCalls: number; readonly hits: number; readonly budgetRefusals: number };
  close(): Promise<void>;
}

interface Entry {
  readonly credential: DuoCredential;
  /** After this, the next request fetches a new credential (the current one stays usable until expiresAt). */
  refreshAt: number;
}

/** How long an instance that refused third_party_agents (absent, or not for this user) is not asked again. */
const THIRD_PARTY_MEMO_MS = 15 * 60_000;
/** After a failed refresh, keep serving the still-valid credential this long before trying again. */
const RETRY_AFTER_FAILURE_MS = 10_000;

/**
 * Short-lived AI-gateway credentials per GitLab user: third_party_agents/direct_access first,
 * code_suggestions/direct_access as fallback; cached by user id *and* a hash of the GitLab token
 * (two users, or two tokens, never share one); one GitLab call per key however many requests wait;
 * never more direct_access calls per user than GitLab allows.
 */
export function createDuoCredentials(options: DuoCredentialsOptions): DuoCredentials {
  const now = options.now ?? Date.now;
  const base = new URL(options.gitlabUrl);
  const gitlabUrl = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const ownDispatcher = options.dispatcher ? undefined : new Agent({ keepAliveTimeout: 30_000, connect: { timeout: timeoutMs } });
  const target = { gitlabUrl, dispatcher: options.dispatcher ?? (ownDispatcher as Agent), timeoutMs };
  const budget = options.budget ?? { limit: 10, windowMs: 5 * 60_000 };
  const budgetStore = options.budgetStore ?? createMemoryRateLimitStore({ now });
  const margin = options.refreshMarginMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 50_000;
  const pinned = options.gatewayUrl === undefined ? undefined : normalizeGatewayUrl(options.gatewayUrl);
  const service = options.mode === 'per-user' ? undefined : options.mode.serviceAccountToken;
  const build = { gatewayUrl: pinned, defaultGatewayUrl: DEFAULT_GATEWAY_URL, defaultLifetimeMs: options.defaultLifetimeMs ?? 25 * 60_000 };

  const entries = new Map<string, Entry>();
  const inflight = new Map<string, Promise<DuoCredential>>();
  /** Per budget key: skip third_party_agents until; GitLab said 429 until. */
  const skipThirdParty = new Map<string, number>();
  const cooldown = new Map<string, number>();
  const stats = { directAccessCalls: 0, hits: 0, budgetRefusals: 0 };

  // The budget is GitLab's per *user*; the cache is per user *and* token.
  const budgetKey = (userId: number | string): string => (service === undefined ? `duo:${String(userId)}` : 'duo:service-account');
  const cacheKey = (userId: number | string, token: string): string =>
    service === undefined ? `${String(userId)}\0${createHash('sha256').update(token).digest('base64url')}` : 'service-account';

  /** Bounded like the cache: a flood of user ids cannot grow the per-user memos without limit. */
  const remember = (map: Map<string, number>, key: string, until: number): void => {
    map.delete(key);
    if (map.size >= maxEntries) map.delete(map.keys().next().value as string);
    map.set(key, until);
  };

  const rateLimited = (retryAfterMs: number): DuoError =>
    new DuoError('duo_rate_limited', 'GitLab allows 10 Duo credentials per 5 minutes per user; aigate will not ask again yet', { retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)) });

  const fetchCredential = async (bkey: string, token: string): Promise<DuoCredential> => {
    const until = cooldown.get(bkey) ?? 0;
    if (until > now()) throw rateLimited(until - now());
    const order: DirectAccessEndpoint[] = (skipThirdParty.get(bkey) ?? 0) > now() ? ['code_suggestions'] : ['third_party_agents', 'code_suggestions'];
    let last: DuoError | undefined;
    for (const endpoint of order) {
      let allowed = true;
      let wait = 0;
      try {
        const taken = await budgetStore.take(bkey, budget.limit, budget.windowMs);
        allowed = taken.allowed;
        wait = taken.retryAfterMs;
      } catch {
        // A shared store that does not answer: GitLab still enforces its own limit, so ask anyway.
      }
      if (!allowed) {
        stats.budgetRefusals++;
        throw rateLimited(wait);
      }
      stats.directAccessCalls++;
      const outcome = await requestDirectAccess(target, endpoint, token);
      if (outcome.ok) return buildCredential(outcome.payload, endpoint, { now: now(), ...build });
      if (outcome.error.code === 'duo_rate_limited') {
        // GitLab counts calls we did not make (the user's IDE, another replica): back off as told.
        const retryMs = (outcome.error.retryAfter ?? 60) * 1000;
        remember(cooldown, bkey, now() + retryMs);
        throw rateLimited(retryMs);
      }
      last = outcome.error;
      if (!outcome.fallback) throw outcome.error;
      remember(skipThirdParty, bkey, now() + THIRD_PARTY_MEMO_MS);
    }
    throw last ?? new DuoError('duo_unavailable', 'no GitLab Duo credential endpoint answered');
  };

  const store = (key: string, credential: DuoCredential): void => {
    const life = credential.expiresAt - now();
    const lead = Math.min(margin, Math.max(0, life) / 2);
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
    entries.set(key, { credential, refreshAt: credential.expiresAt - lead });
  };

  const load = async (key: string, bkey: string, token: string, stale: Entry | undefined): Promise<DuoCredential> => {
    try {
      const credential = await fetchCredential(bkey, token);
      store(key, credential);
      return credential;
    } catch (error) {
      // A refresh ahead of expiry that fails (limit, outage) keeps the current credential while it lasts.
      // Not when GitLab rejected the user's token itself: a revoked token must stop working now.
      if (stale && stale.credential.expiresAt > now() && error instanceof DuoError && !error.code.startsWith('auth_')) {
        stale.refreshAt = Math.min(stale.credential.expiresAt, now() + RETRY_AFTER_FAILURE_MS);
        return stale.credential;
      }
      throw error;
    }
  };

  return {
    async get(userId, gitlabToken) {
      const token = service ?? gitlabToken;
      const key = cacheKey(userId, gitlabToken);
      const entry = entries.get(key);
      if (entry && now() < entry.refreshAt) {
        stats.hits++;
        return entry.credential;
      }
      let pending = inflight.get(key);
      if (!pending) {
        pending = load(key, budgetKey(userId), token, entry).finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      return pending;
    },
    peek(userId, gitlabToken) {
      const entry = entries.get(cacheKey(userId, gitlabToken));
      return entry && entry.credential.expiresAt > now() ? entry.credential : undefined;
    },
    invalidate(userId, gitlabToken, failed) {
      const key = cacheKey(userId, gitlabToken);
      const entry = entries.get(key);
      if (entry && (failed === undefined || entry.credential.token === failed.token)) entries.delete(key);
    },
    stats,
    async close() {
      entries.clear();
      await ownDispatcher?.close();
    },
  };
}
