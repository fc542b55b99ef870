/**
 * A small GraphQL parser: operations, variables, fields with aliases and arguments, fragments
 * (named and inline; type conditions are ignored, the fake's schema has no interfaces), and
 * directives (parsed, ignored). Enough for the queries aigate sends; not a full implementation.
 */

export type GqlValue =
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'list'; readonly items: readonly GqlValue[] }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, GqlValue>> }
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | null };

export interface GqlField {
  readonly kind: 'field';
  readonly alias: string | undefined;
  readonly name: string;
  readonly args: Readonly<Record<string, GqlValue>>;
  readonly selections: readonly GqlSelection[] | undefined;
  readonly line: number;
  readonly column: number;
}

export type GqlSelection = GqlField | { readonly kind: 'spread'; readonly name: string } | { readonly kind: 'inline'; readonly selections: readonly GqlSelection[] };

export interface GqlOperation {
  readonly type: string;
  readonly name: string | undefined;
  readonly defaults: Readonly<Record<string, GqlValue>>;
  readonly selections: readonly GqlSelection[];
}

export interface GqlDocument {
  readonly operations: readonly GqlOperation[];
  readonly fragments: ReadonlyMap<string, readonly GqlSelection[]>;
}

interface Token {
  readonly kind: 'punct' | 'name' | 'string' | 'number' | 'eof';
  readonly value: string;
  readonly line: number;
  readonly column: number;
}

export class GqlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  constructor(message: string, token: Token) {
    super(message);
    this.line = token.line;
    this.column = token.column;
  }
}

const TOKEN = /(\s+|,|#[^\n]*)|(\.\.\.|[!$():=@[\]{}|&])|([_A-Za-z][_0-9A-Za-z]*)|("""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    const at = { line, column: start - lineStart + 1 };
    if (!m) throw new GqlSyntaxError(`Parse error on "${source.charAt(start)}" (error) at [${at.line}, ${at.column}]`, { kind: 'eof', value: '', ...at });
    const text = m[0];
    if (m[2]) tokens.push({ kind: 'punct', value: text, ...at });
    else if (m[3]) tokens.push({ kind: 'name', value: text, ...at });
    else if (m[4]) tokens.push({ kind: 'string', value: text.startsWith('"""') ? text.slice(3, -3) : (JSON.parse(text) as string), ...at });
    else if (m[5]) tokens.push({ kind: 'number', value: text, ...at });
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = start + i + 1;
    }
  }
  tokens.push({ kind: 'eof', value: '', line, column: source.length - lineStart + 1 });
  return tokens;
}

export function parseGraphql(source: string): GqlDocument {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? tokens[tokens.length - 1]!;
  const fail = (): never => {
    const t = peek();
    throw new GqlSyntaxError(t.kind === 'eof' ? 'Unexpected end of document' : `Parse error on "${t.value}" (${t.kind.toUpperCase()}) at [${t.line}, ${t.column}]`, t);
  };
  const is = (value: string): boolean => peek().kind !== 'string' && peek().value === value;
  const take = (value?: string): Token => {
    if (value !== undefined && !is(value)) fail();
    return tokens[pos++] ?? fail();
  };
  const name = (): string => (peek().kind === 'name' ? take().value : fail());

  const value = (): GqlValue => {
    const t = peek();
    if (is('$')) {
      take();
      return { kind: 'var', name: name() };
    }
    if (is('[')) {
      take();
      const items: GqlValue[] = [];
      while (!is(']')) items.push(value());
      take(']');
      return { kind: 'list', items };
    }
    if (is('{')) {
      take();
      const fields: Record<string, GqlValue> = {};
      while (!is('}')) {
        const key = name();
        take(':');
        fields[key] = value();
      }
      take('}');
      return { kind: 'object', fields };
    }
    if (t.kind === 'string' || t.kind === 'number') {
      take();
      return { kind: 'scalar', value: t.kind === 'number' ? Number(t.value) : t.value };
    }
    if (t.kind === 'name') {
      take();
      return { kind: 'scalar', value: t.value === 'true' ? true : t.value === 'false' ? false : t.value === 'null' ? null : t.value };
    }
    return fail();
  };
  const args = (): Record<string, GqlValue> => {
    const out: Record<string, GqlValue> = {};
    if (!is('(')) return out;
    take('(');
    while (!is(')')) {
      const key = name();
      take(':');
      out[key] = value();
    }
    take(')');
    return out;
  };
  const directives = (): void => {
    while (is('@')) {
      take('@');
      name();
      args();
    }
  };
  const typeRef = (): void => {
    if (is('[')) {
      take('[');
      typeRef();
      take(']');
    } else {
      name();
    }
    if (is('!')) take('!');
  };
  const selectionSet = (): GqlSelection[] => {
    take('{');
    const out: GqlSelection[] = [];
    while (!is('}')) {
      if (is('...')) {
        take('...');
        if (peek().kind === 'name' && peek().value !== 'on') {
          out.push({ kind: 'spread', name: name() });
          directives();
        } else {
          if (is('on')) {
            take('on');
            name();
          }
          directives();
          out.push({ kind: 'inline', selections: selectionSet() });
        }
        continue;
      }
      const first = peek();
      let fieldName = name();
      let alias: string | undefined;
      if (is(':')) {
        take(':');
        alias = fieldName;
        fieldName = name();
      }
      const fieldArgs = args();
      directives();
      out.push({ kind: 'field', alias, name: fieldName, args: fieldArgs, selections: is('{') ? selectionSet() : undefined, line: first.line, column: first.column });
    }
    take('}');
    return out;
  };

  const operations: GqlOperation[] = [];
  const fragments = new Map<string, readonly GqlSelection[]>();
  while (peek().kind !== 'eof') {
    if (is('{')) {
      operations.push({ type: 'query', name: undefined, defaults: {}, selections: selectionSet() });
    } else if (is('fragment')) {
      take();
      const fragmentName = name();
      take('on');
      name();
      directives();
      fragments.set(fragmentName, selectionSet());
    } else if (is('query') || is('mutation') || is('subscription')) {
      const type = take().value;
      const opName = peek().kind === 'name' ? name() : undefined;
      const defaults: Record<string, GqlValue> = {};
      if (is('(')) {
        take('(');
        while (!is(')')) {
          take('$');
          const varName = name();
          take(':');
          typeRef();
          if (is('=')) {
            take('=');
            defaults[varName] = value();
          }
          directives();
        }
        take(')');
      }
      directives();
      operations.push({ type, name: opName, defaults, selections: selectionSet() });
    } else {
      fail();
    }
  }
  if (operations.length === 0) throw new GqlSyntaxError('No operations in document', peek());
  return { operations, fragments };
}
