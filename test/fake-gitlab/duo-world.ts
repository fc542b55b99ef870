import { createHash, randomUUID } from 'node:crypto';
import { generateGatewayKeys, type GatewayKeys } from '../fake-ai-gateway/gateway-token.ts';
import { createOAuthWorld, type FakeOAuthWorld } from './oauth-world.ts';
import type { Store } from './store.ts';

/** What GitLab decides about one user's Duo access (gitlab-duo.md, "Endpoints and payloads"). */
export interface DuoUserSettings {
  /** Ability `duo_generate_direct_access_token` (flag, policy, seat): false → third_party_agents 403. */
  thirdPartyAgents: boolean;
  /** Ability `access_code_suggestions`: false → code_suggestions 401 with `X-GitLab-Error-Origin`. */
  codeSuggestions: boolean;
  /** Whether minted tokens carry the `ai_gateway_model_provider_proxy` unit primitive. */
  modelProxy: boolean;
  /** The AI gateway could not mint a token: 503 `Token creation failed`. */
  tokenFailure: boolean;
  /** GitLab.com only: no default Duo namespace chosen → third_party_agents 503 with that message. */
  defaultNamespace: boolean;
  /** code_suggestions `model_details` (the completion model GitLab assigns); null = omitted. */
  modelDetails: { model_provider: string; model_name: string } | null;
  /** Signed into the token as `gitlab_allowed_model_refs`; null = unrestricted. */
  allowedModelRefs: string[] | null;
  tokenTtlSeconds: number;
}

export interface IssuedGatewayToken {
  readonly username: string;
  readonly endpoint: 'third_party_agents' | 'code_suggestions';
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * The Duo side of a fake GitLab: instance settings, per-user settings, the key that signs gateway
 * tokens (the fake AI gateway verifies with the public half), the direct_access rate limit and the
 * OAuth provider. Changes take effect on the next request.
 */
export interface FakeDuoWorld {
  /** Shared clock (ms) for token expiry, rate-limit windows and OAuth lifetimes. */
  now(): number;
  /** Moves the clock forward (switches from wall time to a manual clock on first use). */
  advance(ms: number): void;
  realm: 'self-managed' | 'saas';
  readonly instanceId: string;
  /** `base_url` in code_suggestions answers (the AI gateway), e.g. a fake gateway's URL. */
  aiGatewayUrl: string;
  /** Admin setting `disabled_direct_code_suggestions`: both endpoints refuse. */
  directAccessDisabled: boolean;
  /** false: `ai/third_party_agents/direct_access` does not exist (older GitLab) → 404. */
  thirdPartyEndpoint: boolean;
  /** Ops flag `ai_duo_code_suggestions_switch`: false → code_suggestions 404. */
  codeSuggestionsEndpoint: boolean;
  /** Per user, across both endpoints (GitLab documents 10 per 5 minutes on code_suggestions). */
  rateLimit: { limit: number; windowMs: number };
  /** Extra headers put into every direct_access answer (e.g. to check a client drops them). */
  extraHeaders: Record<string, string>;
  readonly keys: GatewayKeys;
  user(username: string): DuoUserSettings;
  setUser(username: string, settings: Partial<DuoUserSettings>): void;
  /** The user's anonymous global id, as GitLab sends in `X-Gitlab-Global-User-Id`. */
  globalUserId(userId: number): string;
  /** Every token minted, oldest first. */
  readonly issued: IssuedGatewayToken[];
  /** Accepted direct_access calls per username (ms timestamps), for rate-limit assertions. */
  readonly calls: Map<string, number[]>;
  readonly oauth: FakeOAuthWorld;
}

const worlds = new WeakMap<Store, FakeDuoWorld>();

/** The world of one fake GitLab (created with defaults on first use). */
export function duoWorldFor(store: Store): FakeDuoWorld {
  let world = worlds.get(store);
  if (!world) {
    world = createDuoWorld();
    worlds.set(store, world);
  }
  return world;
}

function defaults(): DuoUserSettings {
  return { thirdPartyAgents: true, codeSuggestions: true, modelProxy: true, tokenFailure: false, defaultNamespace: true, modelDetails: null, allowedModelRefs: null, tokenTtlSeconds: 3600 };
}

function createDuoWorld(): FakeDuoWorld {
  let manual: number | undefined;
  const users = new Map<string, DuoUserSettings>();
  const instanceId = randomUUID();
  const now = (): number => manual ?? Date.now();
  const world: FakeDuoWorld = {
    now,
    advance(ms) {
      manual = now() + ms;
    },
    realm: 'self-managed',
    instanceId,
    aiGatewayUrl: 'https://cloud.gitlab.com/ai',
    directAccessDisabled: false,
    thirdPartyEndpoint: true,
    codeSuggestionsEndpoint: true,
    rateLimit: { limit: 10, windowMs: 5 * 60_000 },
    extraHeaders: {},
    keys: generateGatewayKeys(),
    user(username) {
      const key = username.toLowerCase();
      let settings = users.get(key);
      if (!settings) {
        settings = defaults();
        users.set(key, settings);
      }
      return settings;
    },
    setUser(username, settings) {
      Object.assign(world.user(username), settings);
    },
    globalUserId: (userId) => createHash('sha256').update(`${instanceId}:${userId}`).digest('base64url').slice(0, 24),
    issued: [],
    calls: new Map(),
    oauth: createOAuthWorld(now),
  };
  return world;
}
