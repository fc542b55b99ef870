import { EXIT } from '../cli/exit-codes.ts';
import { ExitError } from '../cli/exit-error.ts';
import { readCredentialsFile, saveLogin, type StoredLogin } from './credentials-file.ts';
import { withFileLock } from './file-lock.ts';
import { requestToken, type TokenDeps } from './oauth/token-endpoint.ts';

export interface FreshTokenOptions {
  readonly path: string;
  readonly gitlabUrl: string;
  /** The token must stay valid at least this long (seconds) after it is printed. */
  readonly minValidSeconds: number;
  readonly clientSecret: string | undefined;
}

const valid = (login: StoredLogin, now: number, minValid: number): boolean => login.expires_at - Math.floor(now / 1000) > minValid;

/**
 * The stored access token, refreshed first when it would expire within `minValidSeconds`. The
 * refresh runs under a file lock and re-reads the file inside it, so concurrent callers refresh
 * once and the others pick up the new token.
 */
export async function freshAccessToken(options: FreshTokenOptions, deps: TokenDeps): Promise<string> {
  const notLoggedIn = (): ExitError => new ExitError(EXIT.failed, `aigate token: not logged in to ${options.gitlabUrl}; run: aigate login --gitlab ${options.gitlabUrl}`);
  const first = (await readCredentialsFile(options.path)).file.logins[options.gitlabUrl];
  if (!first) throw notLoggedIn();
  if (valid(first, deps.now(), options.minValidSeconds)) return first.access_token;
  return withFileLock(options.path, async () => {
    const login = (await readCredentialsFile(options.path)).file.logins[options.gitlabUrl];
    if (!login) throw notLoggedIn();
    if (valid(login, deps.now(), options.minValidSeconds)) return login.access_token;
    if (!login.refresh_token) throw new ExitError(EXIT.failed, `aigate token: the GitLab token expired and cannot be refreshed; run: aigate login --gitlab ${options.gitlabUrl}`);
    const result = await requestToken(
      options.gitlabUrl,
      {
        grant_type: 'refresh_token',
        refresh_token: login.refresh_token,
        client_id: login.client_id,
        ...(login.redirect_uri ? { redirect_uri: login.redirect_uri } : {}),
        ...(options.clientSecret ? { client_secret: options.clientSecret } : {}),
      },
      deps,
    );
    if (!result.ok) {
      const why = result.error === 'invalid_grant' ? 'the GitLab sign-in expired or was revoked' : `GitLab refused the refresh (${result.error})`;
      throw new ExitError(EXIT.failed, `aigate token: ${why}; run: aigate login --gitlab ${options.gitlabUrl}`);
    }
    const t = result.tokens;
    await saveLogin(options.path, options.gitlabUrl, {
      ...login,
      access_token: t.accessToken,
      // Without rotation GitLab keeps the old refresh token valid; with it, the new one replaces it.
      refresh_token: t.refreshToken ?? login.refresh_token,
      token_type: t.tokenType,
      scope: t.scope || login.scope,
      expires_at: t.expiresAt,
    });
    return t.accessToken;
  });
}
