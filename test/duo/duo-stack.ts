import { afterEach, beforeEach } from 'vitest';
import { createDuoCredentials, type DuoCredentials, type DuoCredentialsOptions } from '../../dataplane/duo/duo-credentials.ts';
import { startFakeAiGateway, type FakeAiGateway } from '../fake-ai-gateway/fake-ai-gateway.ts';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/fake-gitlab.ts';
import { loadFixturesFile } from '../fake-gitlab/fixtures-file.ts';
import { EXAMPLE_FIXTURES_PATH } from '../fake-gitlab/test-helpers.ts';

export interface DuoStack {
  readonly gitlab: FakeGitLab;
  readonly gateway: FakeAiGateway;
  /** Credentials on the fake GitLab's (manual) clock; more with `credentials(options)`. */
  readonly creds: DuoCredentials;
  credentials(options?: Partial<DuoCredentialsOptions>): DuoCredentials;
  /** direct_access calls the fake GitLab received (any answer). */
  directAccessCalls(path?: 'third_party_agents' | 'code_suggestions'): number;
}

/**
 * Per test: a fake GitLab (example fixtures) whose clock is manual, a fake AI gateway that trusts
 * its token key, on the same clock, and whose URL GitLab hands out as `base_url`.
 */
export function useDuoStack(): () => DuoStack {
  let stack: DuoStack | undefined;
  const opened: DuoCredentials[] = [];
  beforeEach(async () => {
    const gitlab = await startFakeGitLab({ fixtures: loadFixturesFile(EXAMPLE_FIXTURES_PATH) });
    gitlab.duo.advance(0);
    const gateway = await startFakeAiGateway({ publicKey: gitlab.duo.keys.publicKey, now: () => gitlab.duo.now() });
    gitlab.duo.aiGatewayUrl = gateway.url;
    const credentials = (options: Partial<DuoCredentialsOptions> = {}): DuoCredentials => {
      const c = createDuoCredentials({ gitlabUrl: gitlab.url, mode: 'per-user', gatewayUrl: gateway.url, now: () => gitlab.duo.now(), ...options });
      opened.push(c);
      return c;
    };
    stack = {
      gitlab,
      gateway,
      creds: credentials(),
      credentials,
      directAccessCalls: (path) => gitlab.requests.filter((r) => r.path.endsWith('/direct_access') && (path === undefined || r.path.includes(path))).length,
    };
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
    await stack?.gateway.close();
    await stack?.gitlab.close();
    stack = undefined;
  });
  return () => {
    if (!stack) throw new Error('duo stack is not running');
    return stack;
  };
}

/** Users of the example fixtures (id, token). */
export const ALICE = { id: 2, username: 'alice', token: 'alice-api-token' } as const;
export const BOB = { id: 3, username: 'bob', token: 'bob-api-token' } as const;
