import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { duoWorldFor, type FakeDuoWorld } from './duo-world.ts';
import { createFaults, type FaultControl } from './faults.ts';
import type { FakeGitLabFixtures } from './fixture-types.ts';
import { handleRequest, internalError, type RecordedRequest } from './request-handler.ts';
import { createState, type FakeGitLabState } from './state.ts';
import { createWebhooks, type FakeWebhooks } from './webhooks.ts';

export type { FakeGitLabFixtures } from './fixture-types.ts';
export type { FaultControl, FaultSpec } from './faults.ts';
export type { RecordedRequest } from './request-handler.ts';
export type { FakeGitLabState } from './state.ts';
export type { FakeWebhooks } from './webhooks.ts';

export interface FakeGitLab {
  /** e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly url: string;
  /** Closes the server and every open socket. */
  close(): Promise<void>;
  readonly state: FakeGitLabState;
  readonly faults: FaultControl;
  /** GitLab Duo (direct_access, gateway token keys, rate limit) and OAuth provider settings. */
  readonly duo: FakeDuoWorld;
  /** Events that send webhooks (pushes, merge requests, system hooks) and the deliveries made. */
  readonly hooks: FakeWebhooks;
  /** Every `/api/...` request (control API calls are not recorded), oldest first. */
  readonly requests: readonly RecordedRequest[];
  resetRequests(): void;
}

export interface FakeGitLabOptions {
  fixtures: FakeGitLabFixtures;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

/** Starts a GitLab look-alike over real HTTP (gitlab-api.md §10). */
export async function startFakeGitLab(options: FakeGitLabOptions): Promise<FakeGitLab> {
  const { store, state } = createState(options.fixtures);
  const faults = createFaults();
  const requests: RecordedRequest[] = [];
  let url = '';
  const parts = { store, state, faults, requests, baseUrl: () => url };
  const server = createServer((req, res) => {
    handleRequest(parts, req, res).catch((error: unknown) => internalError(res, error));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    state,
    faults: faults.control,
    duo: duoWorldFor(store),
    hooks: createWebhooks(store, state, () => url),
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
