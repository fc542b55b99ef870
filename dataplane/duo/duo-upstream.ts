import type { IncomingHttpHeaders } from 'node:http';
import type { DuoCredential } from './duo-credential.ts';
import type { DuoCredentials } from './duo-credentials.ts';
import type { DuoModelRegistry } from './duo-model-registry.ts';
import { duoRoute, type DuoApi, type DuoRoute } from './duo-models.ts';
import { gatewayHeaders } from './gateway-headers.ts';
import { gatewayUrlFor } from './gateway-url.ts';

export interface DuoUpstreamDeps {
  readonly credentials: DuoCredentials;
  /** Learns the model names GitLab mentions, for routing plain /v1/... requests. */
  readonly registry?: DuoModelRegistry;
  readonly defaults?: { readonly anthropic: string; readonly openai: string };
  readonly aliases?: Readonly<Record<string, string>>;
}

export interface DuoUpstreamInput {
  readonly userId: number | string;
  readonly gitlabToken: string;
  readonly api: DuoApi;
  /** The client's JSON body, after redaction. */
  readonly body: Readonly<Record<string, unknown>>;
  readonly incoming: IncomingHttpHeaders;
  /** The client called `/v1/messages?beta=true`. */
  readonly beta?: boolean;
}

/** Everything the forward stage needs for one gateway call. `credential` is kept for `invalidate` after a 401. */
export interface DuoUpstreamRequest {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly route: DuoRoute;
  readonly credential: DuoCredential;
}

/**
 * The gateway request for one client request: this user's credential, the route and upstream model
 * name, the body with `model` replaced, the headers the gateway allows. Throws DuoError (credential
 * or routing) for the pipeline to answer in the client's format. On a gateway 401 (see
 * classifyGatewayFailure): `credentials.invalidate(userId, token, request.credential)`, then call
 * this again once.
 */
export async function prepareDuoUpstream(deps: DuoUpstreamDeps, input: DuoUpstreamInput): Promise<DuoUpstreamRequest> {
  const credential = await deps.credentials.get(input.userId, input.gitlabToken);
  deps.registry?.register(credential.models);
  const model = typeof input.body['model'] === 'string' ? input.body['model'] : undefined;
  const route = duoRoute(model, input.api, {
    discovered: credential.models,
    ...(deps.defaults ? { defaults: deps.defaults } : {}),
    ...(deps.aliases ? { aliases: deps.aliases } : {}),
    beta: input.beta === true,
  });
  return {
    url: gatewayUrlFor(credential.gatewayUrl, route.gatewayPath),
    headers: gatewayHeaders(credential, input.incoming, route.provider),
    body: Buffer.from(JSON.stringify({ ...input.body, model: route.upstreamModel })),
    route,
    credential,
  };
}
