import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Cuts every connection and stops accepting: the service looks down to whoever uses the proxy. */
  down(): Promise<void>;
  /** Accepts again on the same port. */
  up(): Promise<void>;
  /** Keeps connections open but stops forwarding client bytes: the service hangs instead of refusing. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

/**
 * A TCP forwarder on 127.0.0.1, port 0, in front of a real service (PostgreSQL, Redis). Tests take
 * the service away from one client by closing the proxy, without stopping the machine's server
 * that other suites share.
 */
export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  let stalled = false;
  const clients = new Set<Socket>();

  const listen = async (): Promise<void> => {
    const s = createServer((client) => {
      const upstream = createConnection({ host: targetHost, port: targetPort });
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      clients.add(client);
      client.on('close', () => clients.delete(client));
      if (stalled) client.pause();
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };

  const down = async (): Promise<void> => {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await listen();
  return {
    get port() {
      return port;
    },
    down,
    up: async () => {
      if (!server) await listen();
    },
    stall: () => {
      stalled = true;
      for (const c of clients) c.pause();
    },
    resume: () => {
      stalled = false;
      for (const c of clients) c.resume();
    },
    close: down,
  };
}

/** A port nothing listens on (bound, then released), for "service down from the start". */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
