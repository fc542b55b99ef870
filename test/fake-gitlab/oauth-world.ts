/** GitLab as an OAuth 2.0 provider (Doorkeeper), as much as aigate's login needs (gitlab-api.md §8). */

export interface OAuthApplication {
  readonly uid: string;
  /** null: a public application (PKCE, no secret). */
  readonly secret: string | null;
  /** Registered redirect URIs; a loopback one matches any port (RFC 8252 §7.3). */
  readonly redirectUris: readonly string[];
  readonly scopes: readonly string[];
}

export interface AuthorizationCode {
  readonly clientId: string;
  readonly username: string;
  readonly redirectUri: string;
  readonly challenge: string | null;
  readonly challengeMethod: 'S256' | 'plain' | null;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  used: boolean;
}

export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  /** Seconds a client must wait between polls (grows by 5 after each slow_down, RFC 8628 §3.5). */
  interval: number;
  lastPoll: number | null;
  status: 'pending' | 'approved' | 'denied' | 'used';
  username: string | null;
}

export interface OAuthGrant {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly clientId: string;
  readonly username: string;
  readonly scopes: readonly string[];
  /** Epoch seconds, as GitLab's `created_at`. */
  readonly createdAt: number;
  readonly expiresIn: number;
  revoked: boolean;
  /** Set when the grant was exchanged for a new pair (rotation). */
  rotated: boolean;
}

export interface FakeOAuthWorld {
  /** Instance flag `oauth2_device_grant_flow`; false answers `/oauth/authorize_device` with 404 (GitLab < 17.2). */
  deviceGrant: boolean;
  /** A username that approves every authorization request that arrives without a session (no browser in tests). */
  autoApprove: string | null;
  accessTokenTtlSeconds: number;
  deviceIntervalSeconds: number;
  deviceExpiresInSeconds: number;
  /** Answer the next N device polls with slow_down whatever their timing. */
  slowDownNext: number;
  /** Exact redirect URI match, even for loopback addresses. */
  strictRedirectPorts: boolean;
  readonly applications: Map<string, OAuthApplication>;
  addApplication(app: OAuthApplication): void;
  readonly codes: Map<string, AuthorizationCode>;
  readonly devices: Map<string, DeviceAuthorization>;
  /** By access token and by refresh token (the same grant object under both). */
  readonly grants: Map<string, OAuthGrant>;
  /** The user at the verification page enters the code and approves (or denies). */
  approveDevice(userCode: string, username: string): void;
  denyDevice(userCode: string): void;
}

/** A public application registered in every fake, so tests need no setup for the common case. */
export const TEST_OAUTH_CLIENT_ID = 'aigate-test-client';

export const ALL_SCOPES = ['api', 'read_api', 'read_user', 'read_repository', 'write_repository', 'ai_features', 'openid', 'profile', 'email'];

export function createOAuthWorld(now: () => number): FakeOAuthWorld {
  const devices = new Map<string, DeviceAuthorization>();
  const byUserCode = (userCode: string): DeviceAuthorization => {
    const normal = userCode.toUpperCase().replace(/[^A-Z0-9]/g, '');
    for (const d of devices.values()) if (d.userCode.replace(/[^A-Z0-9]/g, '') === normal && d.status === 'pending' && d.expiresAt > now()) return d;
    throw new Error(`fake gitlab: no pending device authorization with user code ${userCode}`);
  };
  const world: FakeOAuthWorld = {
    deviceGrant: true,
    autoApprove: null,
    accessTokenTtlSeconds: 7200,
    deviceIntervalSeconds: 5,
    deviceExpiresInSeconds: 300,
    slowDownNext: 0,
    strictRedirectPorts: false,
    applications: new Map(),
    addApplication(app) {
      world.applications.set(app.uid, app);
    },
    codes: new Map(),
    devices,
    grants: new Map(),
    approveDevice(userCode, username) {
      const d = byUserCode(userCode);
      d.status = 'approved';
      d.username = username;
    },
    denyDevice(userCode) {
      byUserCode(userCode).status = 'denied';
    },
  };
  world.addApplication({ uid: TEST_OAUTH_CLIENT_ID, secret: null, redirectUris: ['http://127.0.0.1/callback', 'http://localhost/callback'], scopes: ALL_SCOPES });
  return world;
}

/** Doorkeeper's redirect check, with RFC 8252's any-port rule for loopback redirect URIs. */
export function redirectAllowed(app: OAuthApplication, redirectUri: string, strictPorts: boolean): boolean {
  let asked: URL;
  try {
    asked = new URL(redirectUri);
  } catch {
    return false;
  }
  return app.redirectUris.some((registered) => {
    if (registered === redirectUri) return true;
    const r = new URL(registered);
    const loopback = r.protocol === 'http:' && (r.hostname === '127.0.0.1' || r.hostname === 'localhost' || r.hostname === '[::1]');
    return !strictPorts && loopback && asked.protocol === r.protocol && asked.hostname === r.hostname && asked.pathname === r.pathname && asked.search === r.search;
  });
}
