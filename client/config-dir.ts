import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `$XDG_CONFIG_HOME/aigate/credentials.json`, else `~/.config/aigate/credentials.json`
 * (`AIGATE_CREDENTIALS` overrides both, for tests and unusual setups).
 */
export function credentialsPath(env: Readonly<Record<string, string | undefined>>): string {
  if (env['AIGATE_CREDENTIALS']) return env['AIGATE_CREDENTIALS'];
  const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] || homedir(), '.config');
  return join(base, 'aigate', 'credentials.json');
}
