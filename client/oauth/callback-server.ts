import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CallbackServer {
  /** `http://127.0.0.1:<port>/callback`, to register as (or match) the application's redirect URI. */
  readonly redirectUri: string;
  /** The authorization code, once GitLab redirects the browser here with the right `state`. */
  readonly code: Promise<string>;
  close(): Promise<void>;
}

const page = (res: ServerResponse, status: number, text: string): void => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html><body><p>${text}</p></body></html>`);
};

/**
 * The loopback redirect target of the authorization-code flow (RFC 8252 §7.3). It listens on
 * 127.0.0.1 only, so no other machine can deliver a code, and accepts only a callback carrying the
 * `state` this process generated: a forged callback (login CSRF) is answered 400 and ignored.
 */
export async function startCallbackServer(port: number, expectedState: string): Promise<CallbackServer> {
  let resolve!: (code: string) => void;
  let reject!: (error: Error) => void;
  const code = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A rejection nobody awaits yet (the user is still in the browser) must not crash the process.
  code.catch(() => undefined);
  let done = false;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== '/callback') return page(res, 404, 'Not found.');
    if (done) return page(res, 410, 'This sign-in has already completed.');
    if (url.searchParams.get('state') !== expectedState) return page(res, 400, 'This sign-in link does not belong to the running aigate login.');
    const error = url.searchParams.get('error');
    if (error) {
      done = true;
      page(res, 200, 'GitLab did not authorize aigate. You can close this tab.');
      reject(new Error(`GitLab refused the authorization (${error.replace(/[^\w.-]/g, '').slice(0, 60)})`));
      return;
    }
    const value = url.searchParams.get('code');
    if (!value) return page(res, 400, 'The callback carries no authorization code.');
    done = true;
    page(res, 200, 'aigate is signed in to GitLab. You can close this tab.');
    resolve(value);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${bound}/callback`,
    code,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
