/** A successful `/oauth/token` answer, with the expiry turned into local epoch seconds. */
export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string | null;
  readonly tokenType: string;
  readonly scope: string;
  readonly expiresAt: number;
}

export type TokenResult = { readonly ok: true; readonly tokens: OAuthTokens } | { readonly ok: false; readonly status: number; readonly error: string; readonly description: string };

export interface TokenDeps {
  /** Epoch ms. */
  readonly now: () => number;
}

/** GitLab's default access-token life, used when an answer has no `expires_in`. */
const DEFAULT_EXPIRES_IN = 7200;

/**
 * POST `/oauth/token` (form-encoded). The expiry counts from our own clock, not GitLab's
 * `created_at`: a skewed clock would otherwise make a fresh token look expired (or immortal).
 * Redirects are refused: the form carries a code or refresh token.
 */
export async function requestToken(gitlabUrl: string, params: Readonly<Record<string, string>>, deps: TokenDeps): Promise<TokenResult> {
  const response = await fetch(`${gitlabUrl}/oauth/token`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
    redirect: 'error',
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's HTML page): reported by status below.
  }
  if (response.ok && typeof json['access_token'] === 'string') {
    const expiresIn = typeof json['expires_in'] === 'number' ? json['expires_in'] : DEFAULT_EXPIRES_IN;
    return {
      ok: true,
      tokens: {
        accessToken: json['access_token'],
        refreshToken: typeof json['refresh_token'] === 'string' ? json['refresh_token'] : null,
        tokenType: typeof json['token_type'] === 'string' ? json['token_type'] : 'Bearer',
        scope: typeof json['scope'] === 'string' ? json['scope'] : '',
        expiresAt: Math.floor(deps.now() / 1000) + expiresIn,
      },
    };
  }
  const error = typeof json['error'] === 'string' ? json['error'] : `http_${response.status}`;
  const description = typeof json['error_description'] === 'string' ? json['error_description'].slice(0, 300) : '';
  return { ok: false, status: response.status, error, description };
}
