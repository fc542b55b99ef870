import { UsageError } from '../../cli/exit-error.ts';

export interface GitLabAccess {
  readonly url: string;
  readonly token: string;
}

/**
 * The GitLab URL (option, else `$CI_SERVER_URL`) and the token from the named variable (never
 * from the command line, where it would show in `ps` and CI logs).
 */
export function gitlabAccess(url: string | undefined, tokenEnv: string | undefined, env: Readonly<Record<string, string | undefined>>): GitLabAccess {
  const base = url ?? env['CI_SERVER_URL'];
  if (!base || !/^https?:\/\/[^/]/.test(base)) throw new UsageError('aigate compile: --gitlab URL is required (or $CI_SERVER_URL)', 'e.g. --gitlab https://gitlab.example.com');
  const name = tokenEnv ?? 'AIGATE_GITLAB_TOKEN';
  const token = env[name];
  if (!token) throw new UsageError(`aigate compile: $${name} is empty; it must hold a GitLab token with read_api that can read every project`, 'set a masked CI/CD variable, or pass --token-env NAME');
  return { url: base.replace(/\/+$/, ''), token };
}
