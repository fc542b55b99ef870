import type { Command } from '../../cli/command.ts';
import { EXIT, type ExitCode } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import { parseCommandArgs } from '../../cli/parse-args.ts';
import { credentialsPath } from '../config-dir.ts';
import { CredentialsFileError, readCredentialsFile } from '../credentials-file.ts';
import { freshAccessToken } from '../fresh-token.ts';
import { normalizeGitLabUrl } from '../gitlab-url.ts';
import type { TokenDeps } from '../oauth/token-endpoint.ts';

const HELP = `usage: aigate token [--gitlab URL] [--min-valid SECONDS]

Prints a valid GitLab access token from "aigate login" on stdout, refreshing it first when it
expires within --min-valid seconds (default 600). Meant for key helpers: Claude Code's
"apiKeyHelper": "aigate token", or a wrapper that exports it for Codex's env_key.

  --gitlab URL        which stored login (env AIGATE_GITLAB_URL; default: the only one)
exit codes: 0 token printed, 1 not logged in or refresh failed, 2 usage error
`;

/** `aigate token` with its clock passed in. Only the token goes to stdout; everything else to stderr. */
export async function runToken(args: readonly string[], io: CliIo, deps: TokenDeps): Promise<ExitCode> {
  const { values } = parseCommandArgs('token', args, {
    gitlab: { type: 'string' },
    'min-valid': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const minValid = values['min-valid'] === undefined ? 600 : Number(values['min-valid']);
  if (!Number.isInteger(minValid) || minValid < 0 || minValid > 86_400) throw new UsageError('aigate token: --min-valid must be 0..86400 seconds');
  const path = credentialsPath(io.env);
  const { file, insecure } = await readCredentialsFile(path).catch((error: unknown) => {
    throw error instanceof CredentialsFileError ? new ExitError(EXIT.failed, `aigate token: ${error.message}`) : error;
  });
  if (insecure) io.stderr(`aigate token: warning: ${path} is readable by other users; run: chmod 600 ${path}\n`);
  const rawUrl = values.gitlab ?? io.env['AIGATE_GITLAB_URL'];
  let gitlabUrl: string;
  if (rawUrl) gitlabUrl = normalizeGitLabUrl('token', rawUrl);
  else {
    const stored = Object.keys(file.logins);
    if (stored.length === 0) throw new ExitError(EXIT.failed, 'aigate token: not logged in; run: aigate login --gitlab URL');
    if (stored.length > 1) throw new UsageError(`aigate token: logged in to several GitLab instances (${stored.join(', ')}); give --gitlab URL`);
    gitlabUrl = stored[0] as string;
  }
  try {
    const token = await freshAccessToken({ path, gitlabUrl, minValidSeconds: minValid, clientSecret: io.env['AIGATE_OAUTH_CLIENT_SECRET'] || undefined }, deps);
    io.stdout(`${token}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ExitError) throw error;
    if (error instanceof CredentialsFileError) throw new ExitError(EXIT.failed, `aigate token: ${error.message}`);
    if (error instanceof TypeError || (error as Error).name === 'TimeoutError') throw new ExitError(EXIT.failed, `aigate token: cannot reach ${gitlabUrl} to refresh the token (${(error as Error).message})`);
    throw error;
  }
}

export const tokenCommand: Command = (args, io) => runToken(args, io, { now: Date.now });
