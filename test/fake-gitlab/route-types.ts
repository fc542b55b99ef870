import type { AuthFailure, Principal, RouteAccess } from './auth.ts';
import type { FaultSpec } from './faults.ts';
import type { Reply } from './reply.ts';
import type { Store } from './store.ts';

export interface HandlerContext {
  readonly method: string;
  /** Path as sent (still percent-encoded), without the query. */
  readonly rawPath: string;
  /** Query string as sent, without `?`. */
  readonly rawQuery: string;
  readonly query: Readonly<Record<string, string>>;
  readonly baseUrl: string;
  readonly store: Store;
  readonly principal: Principal;
  readonly body: Buffer;
  readonly fault: Readonly<FaultSpec> | undefined;
}

export interface Route {
  readonly access: RouteAccess;
  handle(ctx: HandlerContext): Reply | Promise<Reply>;
  /** Answers before any token is looked at (catch-all, removed API). */
  readonly noAuth?: boolean;
  /** Overrides the REST failure answers (GraphQL has its own). */
  authFailure?(failure: AuthFailure, scopes: string): Reply;
}
