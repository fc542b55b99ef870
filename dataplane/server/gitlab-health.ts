import type { GitLabClient } from '../gitlab/gitlab-client.ts';
import type { GitLabResult } from '../gitlab/gitlab-types.ts';

export interface GitLabHealth {
  connected(): boolean;
  /** Every GitLab answer on the request path also tells whether GitLab is up. */
  observe(result: GitLabResult<unknown>): void;
  stop(): void;
}

/** GitLab reachability for /health: a background probe plus what real requests saw. */
export function gitlabHealth(client: GitLabClient, intervalMs = 15_000): GitLabHealth {
  let up = true;
  const probe = async () => {
    up = await client.probe();
  };
  void probe();
  const timer = setInterval(() => void probe(), intervalMs);
  timer.unref();
  return {
    connected: () => up,
    observe: (result) => {
      up = result.ok || result.kind !== 'unavailable';
    },
    stop: () => clearInterval(timer),
  };
}
