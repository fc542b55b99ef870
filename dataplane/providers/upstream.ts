import { Pool } from 'undici';
import type { UpstreamConfig } from '../config/dataplane-config.ts';

/** One provider upstream at run time: a keep-alive pool and the key rotation. */
export interface Upstream {
  readonly config: UpstreamConfig;
  readonly pool: Pool;
  /** The path prefix of the base URL (e.g. a gateway's /v1/proxy/anthropic), '' for none. */
  readonly basePath: string;
  /** Key indexes to try for one request: round-robin start, then the others in order. */
  keyOrder(): number[];
  close(): Promise<void>;
}

export function createUpstream(config: UpstreamConfig): Upstream {
  const url = new URL(config.baseUrl);
  const pool = new Pool(url.origin, { connections: config.connections, connect: { timeout: config.connectTimeoutMs }, keepAliveTimeout: 30_000, pipelining: 1 });
  let next = 0;
  return {
    config,
    pool,
    basePath: url.pathname.replace(/\/+$/, ''),
    keyOrder() {
      const n = config.keys.length;
      const start = next++ % Math.max(1, n);
      return Array.from({ length: n }, (_, i) => (start + i) % n);
    },
    close: () => pool.close(),
  };
}
