import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from '../../cli/command.ts';
import { EXIT, type ExitCode } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { credentialsPath } from '../config-dir.ts';
import { CredentialsFileError, saveLogin } from '../credentials-file.ts';
import { normalizeGitLabUrl } from '../gitlab-url.ts';
import { pollDeviceToken, startDeviceAuthorization, type DeviceDeps, type OAuthClient } from '../oauth/device-flow.ts';
import { runPkceFlow } from '../oauth/pkce-flow.ts';
import type { OAuthTokens } from '../oauth/token-endpoint.ts';

const HELP = `usage: aigate login --gitlab URL [--client-id ID] [--scopes "read_api ai_features"]
                    [--method auto|device|pkce] [--callback-port N]

Signs in to GitLab with OAuth and stores the token for "aigate token" (and assistants' key
helpers) in $XDG_CONFIG_HOME/aigate/credentials.json (~/.config/aigate/...), mode 0600.

  --gitlab URL        the GitLab instance (env AIGATE_GITLAB_URL)
  --client-id ID      the OAuth application's id (env AIGATE_OAUTH_CLIENT_ID); a confidential
                      application's secret is read from env AIGATE_OAUTH_CLIENT_SECRET
  --scopes LIST       space-separated scopes (default "read_api ai_features")
  --method M          auto (default): the device grant when GitLab offers it, else a browser
                      sign-in (authorization code + PKCE) on a loopback callback
  --callback-port N   port of the loopback callback (default: any free port)
exit codes: 0 signed in, 1 sign-in failed, 2 usage error
`;

export const DEFAULT_SCOPES = 'read_api ai_features';

export interface LoginDeps extends DeviceDeps {
  /** How long the browser flow waits for the callback. */
  readonly callbackTimeoutMs?: number;
}

const realDeps: LoginDeps = { now: Date.now, sleep: (ms) => sleep(ms) };

async function currentUser(gitlabUrl: string, accessToken: string): Promise<{ id: number; username: string }> {
  const response = await fetch(`${gitlabUrl}/api/v4/user`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(30_000) });
  const json = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof json['id'] !== 'number' || typeof json['username'] !== 'string') {
    throw new ExitError(EXIT.failed, `aigate login: GitLab did not accept the new token for GET /api/v4/user (HTTP ${response.status}); check the application's scopes`);
  }
  return { id: json['id'], username: json['username'] };
}

/** `aigate login`, with its clock and sleep passed in (tests drive the flows without waiting). */
export async function runLogin(args: readonly string[], io: CliIo, deps: LoginDeps): Promise<ExitCode> {
  const { values } = parseCommandArgs('login', args, {
    gitlab: { type: 'string' },
    'client-id': { type: 'string' },
    scopes: { type: 'string' },
    method: { type: 'string' },
    'callback-port': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const rawUrl = values.gitlab ?? io.env['AIGATE_GITLAB_URL'];
  if (!rawUrl) throw new UsageError('aigate login: give --gitlab URL', 'e.g. aigate login --gitlab https://gitlab.example.com --client-id <application id>');
  const gitlabUrl = normalizeGitLabUrl('login', rawUrl);
  const clientId = values['client-id'] ?? io.env['AIGATE_OAUTH_CLIENT_ID'];
  if (!clientId) throw new UsageError('aigate login: give --client-id (the id of a GitLab OAuth application)', 'docs/gitlab-duo.md explains how to register one');
  const method = oneOf('login', 'method', values.method, ['auto', 'device', 'pkce'], 'auto');
  const port = values['callback-port'] === undefined ? 0 : Number(values['callback-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('aigate login: --callback-port must be a port number');
  const scopes = (values.scopes ?? DEFAULT_SCOPES).split(/[\s,]+/).filter(Boolean).join(' ');
  const client: OAuthClient = { gitlabUrl, clientId, clientSecret: io.env['AIGATE_OAUTH_CLIENT_SECRET'] || undefined };
  const host = new URL(gitlabUrl).hostname;
  if (gitlabUrl.startsWith('http:') && host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') {
    io.stderr(`aigate login: warning: ${gitlabUrl} is plain HTTP; the token will cross the network unencrypted\n`);
  }

  let tokens: OAuthTokens;
  let redirectUri: string | null = null;
  try {
    const device = method === 'pkce' ? undefined : await startDeviceAuthorization(client, scopes);
    if (device) {
      io.stdout(`To sign in, open ${device.verificationUri} and enter the code ${device.userCode}\n`);
      if (device.verificationUriComplete) io.stdout(`(or open ${device.verificationUriComplete})\n`);
      io.stdout('Waiting for approval...\n');
      tokens = await pollDeviceToken(client, device, deps);
    } else {
      if (method === 'device') throw new ExitError(EXIT.failed, `aigate login: ${gitlabUrl} does not offer the device authorization grant; use --method pkce`);
      const result = await runPkceFlow(client, scopes, port, {
        ...deps,
        show: (url) => io.stdout(`Open this URL in a browser on this machine to sign in:\n\n  ${url}\n\nWaiting for the browser...\n`),
        ...(deps.callbackTimeoutMs === undefined ? {} : { timeoutMs: deps.callbackTimeoutMs }),
      });
      tokens = result.tokens;
      redirectUri = result.redirectUri;
    }
    const user = await currentUser(gitlabUrl, tokens.accessToken);
    const path = credentialsPath(io.env);
    await saveLogin(path, gitlabUrl, {
      access_token: tokens.accessToken,
      refresh_token: tokens.refreshToken,
      token_type: tokens.tokenType,
      scope: tokens.scope || scopes,
      expires_at: tokens.expiresAt,
      client_id: clientId,
      redirect_uri: redirectUri,
      username: user.username,
      user_id: user.id,
    });
    io.stdout(`Signed in to ${gitlabUrl} as @${user.username}; token stored in ${path}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ExitError) throw error;
    if (error instanceof CredentialsFileError) throw new ExitError(EXIT.failed, `aigate login: ${error.message}`);
    // fetch failures: say which GitLab was unreachable, never echo tokens or form bodies.
    if (error instanceof TypeError || (error as Error).name === 'TimeoutError') throw new ExitError(EXIT.failed, `aigate login: cannot reach ${gitlabUrl} (${(error as Error).message})`);
    throw error;
  }
}

export const loginCommand: Command = (args, io) => runLogin(args, io, realDeps);
