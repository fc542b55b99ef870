import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaults, type FaultControl } from './faults.ts';
import { handleRequest, type ServerParts } from './handle-request.ts';
import { createScripts, type ScriptControl } from './script.ts';
import type { FakeProviderOptions, RecordedRequest } from './types.ts';

export type { FaultControl } from './faults.ts';
export type { ScriptControl } from './script.ts';
export type * from './types.ts';

export const DEFAULT_KEYS: readonly string[] = ['fake-key-0'];
export const DEFAULT_MODELS = {
  anthropic: ['claude-fake-opus-4', 'claude-fake-haiku-4'],
  openai: ['gpt-fake-5', 'gpt-fake-5-mini'],
} as const;

export interface FakeProvider {
  /** e.g. `http://127.0.0.1:43123`: the Anthropic SDK's `baseURL`; OpenAI clients need `${url}/v1`. */
  readonly url: string;
  /** Accepted keys; `setKeys` swaps them (e.g. to revoke one). */
  readonly keys: readonly string[];
  setKeys(keys: readonly string[]): void;
  readonly faults: FaultControl;
  readonly script: ScriptControl;
  /** Requests, oldest first (the last `logLimit`); entries keep updating until their response ends. */
  readonly requests: readonly RecordedRequest[];
  resetRequests(): void;
  /** Resolves once no request is in flight (e.g. to read `clientAborted` after an abort). */
  idle(): Promise<void>;
  /** Closes the server and every open socket. */
  close(): Promise<void>;
}

/** Starts an Anthropic + OpenAI look-alike on 127.0.0.1 (see README.md). */
export async function startFakeProvider(options: FakeProviderOptions = {}): Promise<FakeProvider> {
  let keys = [...(options.keys ?? DEFAULT_KEYS)];
  const requests: RecordedRequest[] = [];
  const logLimit = options.logLimit ?? Infinity;
  let seq = 0;
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];
  const parts: ServerParts = {
    keys: () => keys,
    faults: createFaults(options.faults),
    scripts: createScripts(options.script),
    models: { anthropic: options.models?.anthropic ?? DEFAULT_MODELS.anthropic, openai: options.models?.openai ?? DEFAULT_MODELS.openai },
    log: (record) => {
      requests.push(record);
      if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
    },
    nextSeq: () => ++seq,
  };
  const server = createServer((req, res) => {
    inFlight++;
    res.on('close', () => {
      if (--inFlight > 0) return;
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    });
    handleRequest(parts, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake provider bug: ${(error as Error).stack ?? String(error)}`);
    });
  });
  // Clients keep connections alive between tests; the fake must not be the side that times out.
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    get keys() {
      return keys;
    },
    setKeys(next) {
      keys = [...next];
    },
    faults: parts.faults.control,
    script: parts.scripts.control,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
