import type { KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serializeFrame } from '../fake-providers/sse.ts';
import { creditsExhausted, gatewayAnswer } from './gateway-answers.ts';
import { authenticateGatewayRequest } from './gateway-auth.ts';
import { ALLOWED_PATHS, DEFAULT_PROXY_MODELS, HEADERS_TO_UPSTREAM, modelRef, splitProxyPath, type GatewayProvider } from './gateway-routes.ts';
import type { GatewayClaims } from './gateway-token.ts';

export interface FakeAiGatewayOptions {
  /** Verifies gateway tokens: the public half of the fake GitLab's `duo.keys`. */
  readonly publicKey: KeyObject;
  /** Clock in ms for token expiry (share the fake GitLab's `duo.now`). */
  readonly now?: () => number;
  /** Path prefix the gateway is mounted under: '' (self-hosted AIGW, default) or '/ai' (cloud.gitlab.com). */
  readonly mount?: string;
  readonly proxyModels?: Readonly<Record<GatewayProvider, readonly string[]>>;
  readonly port?: number;
  readonly host?: string;
}

/** One request as the gateway saw it. Header values are kept: the test tokens are fakes. */
export interface GatewayRequestRecord {
  readonly method: string;
  /** Path as sent, with the query. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  provider: GatewayProvider | undefined;
  claims: GatewayClaims | undefined;
  model: string | undefined;
  stream: boolean;
  /** The client headers the gateway would pass to the provider (its allow-list applied). */
  forwarded: Readonly<Record<string, string>>;
  body: unknown;
  status: number;
}

export interface FakeAiGateway {
  /** e.g. `http://127.0.0.1:43123` plus the mount; use as the Duo gateway URL. */
  readonly url: string;
  readonly requests: readonly GatewayRequestRecord[];
  /** Text every model answers with. */
  replyText: string;
  /** Marks a user (token subject = global user id) as out of GitLab credits: 402 until undone. */
  exhaustCredits(subject: string, exhausted?: boolean): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, record: GatewayRequestRecord, status: number, body: unknown): void {
  record.status = status;
  const text = JSON.stringify(body);
  // Only content-type comes back downstream (ALLOWED_HEADERS_TO_DOWNSTREAM).
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** A GitLab AI gateway look-alike for `/v1/proxy/{anthropic,openai}/…` (gitlab-duo.md, "AI gateway proxy endpoints"). */
export async function startFakeAiGateway(options: FakeAiGatewayOptions): Promise<FakeAiGateway> {
  const now = options.now ?? Date.now;
  const mount = options.mount ?? '';
  const models = options.proxyModels ?? DEFAULT_PROXY_MODELS;
  const requests: GatewayRequestRecord[] = [];
  const noCredits = new Set<string>();
  const state = { replyText: 'Hello from the fake GitLab AI gateway.' };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
    const record: GatewayRequestRecord = { method: req.method ?? 'GET', path: req.url ?? '/', headers, provider: undefined, claims: undefined, model: undefined, stream: false, forwarded: {}, body: undefined, status: 0 };
    requests.push(record);
    const bodyText = await readBody(req);
    const url = req.url ?? '/';
    const proxy = url.startsWith(`${mount}/`) ? splitProxyPath(url.slice(mount.length)) : undefined;
    if (!proxy) return send(res, record, 404, { detail: 'Not Found' });
    const auth = authenticateGatewayRequest(req.headers, options.publicKey, now());
    if (!auth.ok) return send(res, record, auth.status, auth.body);
    record.claims = auth.claims;
    record.provider = proxy.provider;
    if (record.method !== 'POST') return send(res, record, 405, { detail: 'Method Not Allowed' });
    if (!ALLOWED_PATHS[proxy.provider].includes(proxy.upstream)) return send(res, record, 404, { detail: 'Not found' });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(bodyText) as Record<string, unknown>;
    } catch {
      return send(res, record, 400, { detail: 'Invalid JSON' });
    }
    record.body = body;
    if (typeof body !== 'object' || body === null || typeof body['model'] !== 'string') return send(res, record, 400, { detail: 'Failed to extract model name' });
    const model = body['model'];
    record.model = model;
    record.stream = body['stream'] === true;
    if (!models[proxy.provider].includes(model)) return send(res, record, 400, { detail: 'Unsupported model' });
    const refs = auth.claims.gitlab_allowed_model_refs;
    if (refs !== undefined && !refs.includes(modelRef(model))) return send(res, record, 403, { detail: 'Model is not allowed by the namespace model allowlist' });
    if (noCredits.has(auth.claims.sub)) return send(res, record, 402, creditsExhausted(proxy.provider));
    record.forwarded = Object.fromEntries(HEADERS_TO_UPSTREAM[proxy.provider].filter((h) => headers[h] !== undefined).map((h) => [h, headers[h] as string]));
    const answer = gatewayAnswer(proxy.provider, proxy.upstream, body, bodyText, state.replyText);
    if (answer.kind === 'json') return send(res, record, 200, answer.body);
    record.status = 200;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    for (const frame of answer.frames) res.write(serializeFrame(frame));
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(`fake ai gateway: internal error: ${(error as Error).stack ?? String(error)}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"detail":"Internal Server Error"}');
    });
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
  return {
    url: `http://${host}:${port}${mount}`,
    requests,
    get replyText() {
      return state.replyText;
    },
    set replyText(text: string) {
      state.replyText = text;
    },
    exhaustCredits(subject, exhausted = true) {
      if (exhausted) noCredits.add(subject);
      else noCredits.delete(subject);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
