import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError } from '../../cli/exit-error.ts';
import { requestToken, type OAuthTokens, type TokenDeps } from './token-endpoint.ts';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DeviceAuthorization {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly verificationUriComplete: string | null;
  readonly expiresIn: number;
  readonly interval: number;
}

export interface OAuthClient {
  readonly gitlabUrl: string;
  readonly clientId: string;
  /** Confidential applications only; read from the environment, never stored. */
  readonly clientSecret: string | undefined;
}

export interface DeviceDeps extends TokenDeps {
  readonly sleep: (ms: number) => Promise<void>;
}

/** Errors meaning "this instance or application does not do the device grant": use PKCE instead. */
const UNSUPPORTED = new Set(['unsupported_grant_type', 'unauthorized_client', 'invalid_grant_type']);

/** POST /oauth/authorize_device (RFC 8628 §3.1); `undefined` when the instance does not offer it (GitLab < 17.2, flag off). */
export async function startDeviceAuthorization(client: OAuthClient, scopes: string): Promise<DeviceAuthorization | undefined> {
  const response = await fetch(`${client.gitlabUrl}/oauth/authorize_device`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: client.clientId, scope: scopes, ...(client.clientSecret ? { client_secret: client.clientSecret } : {}) }).toString(),
    redirect: 'error',
    signal: AbortSignal.timeout(30_000),
  });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.status === 404 || response.status === 405 || UNSUPPORTED.has(String(json['error']))) return undefined;
  if (json['error'] === 'invalid_client') throw new ExitError(EXIT.failed, `aigate login: GitLab does not know the OAuth application "${client.clientId}" (invalid_client)`);
  if (!response.ok || typeof json['device_code'] !== 'string' || typeof json['user_code'] !== 'string' || typeof json['verification_uri'] !== 'string') {
    throw new ExitError(EXIT.failed, `aigate login: GitLab refused the device authorization (HTTP ${response.status}${typeof json['error'] === 'string' ? `, ${json['error']}` : ''})`);
  }
  return {
    deviceCode: json['device_code'],
    userCode: json['user_code'],
    verificationUri: json['verification_uri'],
    verificationUriComplete: typeof json['verification_uri_complete'] === 'string' ? json['verification_uri_complete'] : null,
    expiresIn: typeof json['expires_in'] === 'number' ? json['expires_in'] : 300,
    interval: typeof json['interval'] === 'number' ? json['interval'] : 5,
  };
}

/** Polls /oauth/token until the user approved (RFC 8628 §3.4–3.5): pending waits, slow_down waits 5 s longer. */
export async function pollDeviceToken(client: OAuthClient, auth: DeviceAuthorization, deps: DeviceDeps): Promise<OAuthTokens> {
  const deadline = deps.now() + auth.expiresIn * 1000;
  let interval = auth.interval;
  for (;;) {
    await deps.sleep(interval * 1000);
    if (deps.now() > deadline) throw new ExitError(EXIT.failed, 'aigate login: the code expired before it was approved; run aigate login again');
    const result = await requestToken(
      client.gitlabUrl,
      { grant_type: DEVICE_GRANT, device_code: auth.deviceCode, client_id: client.clientId, ...(client.clientSecret ? { client_secret: client.clientSecret } : {}) },
      deps,
    );
    if (result.ok) return result.tokens;
    if (result.error === 'authorization_pending') continue;
    if (result.error === 'slow_down') {
      interval += 5;
      continue;
    }
    if (result.error === 'expired_token') throw new ExitError(EXIT.failed, 'aigate login: the code expired before it was approved; run aigate login again');
    if (result.error === 'access_denied') throw new ExitError(EXIT.failed, 'aigate login: the sign-in was denied in GitLab');
    throw new ExitError(EXIT.failed, `aigate login: GitLab refused the sign-in (${result.error})`);
  }
}
