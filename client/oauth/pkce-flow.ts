import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError } from '../../cli/exit-error.ts';
import { startCallbackServer } from './callback-server.ts';
import type { OAuthClient } from './device-flow.ts';
import { createPkce, randomState } from './pkce.ts';
import { requestToken, type OAuthTokens, type TokenDeps } from './token-endpoint.ts';

export interface PkceDeps extends TokenDeps {
  /** Shows the authorization URL (the user opens it in a browser). */
  readonly show: (authorizeUrl: string) => void;
  /** How long to wait for the browser to come back (default 5 minutes). */
  readonly timeoutMs?: number;
}

/**
 * Authorization code with PKCE (S256) on a loopback callback: the URL is shown, the browser comes
 * back to `http://127.0.0.1:<port>/callback`, the code is exchanged with the verifier.
 */
export async function runPkceFlow(client: OAuthClient, scopes: string, port: number, deps: PkceDeps): Promise<{ tokens: OAuthTokens; redirectUri: string }> {
  const { verifier, challenge } = createPkce();
  const state = randomState();
  const server = await startCallbackServer(port, state);
  try {
    const url = new URL(`${client.gitlabUrl}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: server.redirectUri,
      response_type: 'code',
      state,
      scope: scopes,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    deps.show(url.href);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ExitError(EXIT.failed, 'aigate login: no answer from the browser within the time limit; run aigate login again')), deps.timeoutMs ?? 5 * 60_000);
    });
    let code: string;
    try {
      code = await Promise.race([server.code, timeout]);
    } catch (error) {
      if (error instanceof ExitError) throw error;
      throw new ExitError(EXIT.failed, `aigate login: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
    const result = await requestToken(
      client.gitlabUrl,
      {
        grant_type: 'authorization_code',
        client_id: client.clientId,
        code,
        redirect_uri: server.redirectUri,
        code_verifier: verifier,
        ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      },
      deps,
    );
    if (!result.ok) throw new ExitError(EXIT.failed, `aigate login: GitLab refused the authorization code (${result.error})`);
    return { tokens: result.tokens, redirectUri: server.redirectUri };
  } finally {
    await server.close();
  }
}
