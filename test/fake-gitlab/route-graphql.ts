import { execute, roughComplexity, validate, type GqlResult } from './graphql-exec.ts';
import { GqlSyntaxError, parseGraphql } from './graphql-parse.ts';
import { schema } from './graphql-schema.ts';
import { jsonReply } from './reply.ts';
import type { HandlerContext, Route } from './route-types.ts';

interface Payload {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

/** `POST /api/graphql` (also GET with `query`/`variables` parameters). Query errors are HTTP 200. */
export const graphqlRoute: Route = {
  // Queries are reads: `read_api` works although the method is POST.
  access: { readScopes: ['read_api'], anonymous: true, readOnly: true },
  authFailure: () => jsonReply(401, { errors: [{ message: 'Invalid token' }] }),
  handle(ctx) {
    let payload: unknown;
    try {
      payload = ctx.method === 'GET' ? { query: ctx.query.query, variables: ctx.query.variables, operationName: ctx.query.operationName } : JSON.parse(ctx.body.toString('utf8') || '{}');
    } catch (error) {
      return jsonReply(400, { errors: [{ message: (error as Error).message }] });
    }
    // An array is a multiplexed request: one result per query, in order.
    if (Array.isArray(payload)) return jsonReply(200, payload.map((p) => runOne(p as Payload, ctx)));
    return jsonReply(200, runOne((payload ?? {}) as Payload, ctx));
  },
};

function runOne(payload: Payload, ctx: HandlerContext): GqlResult {
  if (typeof payload.query !== 'string' || payload.query.trim() === '') return { errors: [{ message: 'No query string was present' }] };
  let doc;
  try {
    doc = parseGraphql(payload.query);
  } catch (error) {
    if (!(error instanceof GqlSyntaxError)) throw error;
    return { errors: [{ message: error.message, locations: [{ line: error.line, column: error.column }] }] };
  }
  const op = typeof payload.operationName === 'string' ? doc.operations.find((o) => o.name === payload.operationName) : doc.operations.length === 1 ? doc.operations[0] : undefined;
  if (!op) return { errors: [{ message: typeof payload.operationName === 'string' ? `No operation named "${payload.operationName}"` : 'An operation name is required' }] };
  const rootType = op.type === 'mutation' ? 'Mutation' : op.type === 'query' ? 'Query' : 'Subscription';
  if (ctx.fault?.graphqlComplexity) {
    const max = ctx.principal.user ? 250 : 200;
    return { errors: [{ message: `Query has complexity of ${max + roughComplexity(op.selections, doc)}, which exceeds max complexity of ${max}` }] };
  }
  const invalid = validate(schema, doc, rootType, op.selections);
  if (invalid.length > 0) return { errors: invalid };
  let variables = payload.variables ?? {};
  if (typeof variables === 'string') variables = variables === '' ? {} : JSON.parse(variables);
  return execute({ schema, doc, rootType, selections: op.selections, variables: variables as Record<string, unknown>, defaults: op.defaults, ctx: { store: ctx.store, baseUrl: ctx.baseUrl, user: ctx.principal.user } });
}
