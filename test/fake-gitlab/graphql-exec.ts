import type { GqlDocument, GqlField, GqlSelection, GqlValue } from './graphql-parse.ts';

/** A schema is a map of object types; a field's `type` names an object type, or null for scalars. */
export interface FieldDef<C> {
  readonly type: string | null;
  readonly list?: boolean;
  resolve(parent: unknown, args: Readonly<Record<string, unknown>>, ctx: C): unknown;
}

export type Schema<C> = Readonly<Record<string, Readonly<Record<string, FieldDef<C>>>>>;

/** Thrown by a resolver: the field becomes null and the message goes to `errors`. */
export class FieldError extends Error {}

export interface GqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: GqlError[];
}

function flatten(selections: readonly GqlSelection[], doc: GqlDocument, seen = new Set<string>()): GqlField[] {
  return selections.flatMap((s): GqlField[] => {
    if (s.kind === 'field') return [s];
    if (s.kind === 'inline') return flatten(s.selections, doc, seen);
    if (seen.has(s.name)) return [];
    return flatten(doc.fragments.get(s.name) ?? [], doc, new Set([...seen, s.name]));
  });
}

/** Static checks graphql-ruby does before running anything (unknown fields, missing selections). */
export function validate<C>(schema: Schema<C>, doc: GqlDocument, rootType: string, selections: readonly GqlSelection[]): GqlError[] {
  const errors: GqlError[] = [];
  const walk = (typeName: string, fields: readonly GqlSelection[], path: string[]): void => {
    for (const f of flatten(fields, doc)) {
      const at = { locations: [{ line: f.line, column: f.column }], path: [...path, f.alias ?? f.name] };
      if (f.name === '__typename') continue;
      const def = schema[typeName]?.[f.name];
      if (!def) {
        errors.push({ message: `Field '${f.name}' doesn't exist on type '${typeName}'`, ...at, extensions: { code: 'undefinedField', typeName, fieldName: f.name } });
      } else if (def.type && !f.selections) {
        errors.push({ message: `Field must have selections (field '${f.name}' returns ${def.type} but has no selections. Did you mean '${f.name} { ... }'?)`, ...at });
      } else if (!def.type && f.selections) {
        errors.push({ message: `Selections can't be made on scalars (field '${f.name}' returns a scalar but has selections)`, ...at });
      } else if (def.type && f.selections) {
        walk(def.type, f.selections, at.path);
      }
    }
  };
  walk(rootType, selections, [rootType === 'Query' ? 'query' : rootType.toLowerCase()]);
  return errors;
}

export function evaluate(value: GqlValue, variables: Readonly<Record<string, unknown>>, defaults: Readonly<Record<string, GqlValue>>): unknown {
  switch (value.kind) {
    case 'var': {
      if (variables[value.name] !== undefined) return variables[value.name];
      const fallback = defaults[value.name];
      return fallback ? evaluate(fallback, {}, {}) : null;
    }
    case 'list':
      return value.items.map((v) => evaluate(v, variables, defaults));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, evaluate(v, variables, defaults)]));
    case 'scalar':
      return value.value;
  }
}

export interface ExecInput<C> {
  readonly schema: Schema<C>;
  readonly doc: GqlDocument;
  readonly rootType: string;
  readonly selections: readonly GqlSelection[];
  readonly variables: Readonly<Record<string, unknown>>;
  readonly defaults: Readonly<Record<string, GqlValue>>;
  readonly ctx: C;
}

export function execute<C>(input: ExecInput<C>): GqlResult {
  const errors: GqlError[] = [];
  const run = (typeName: string, parent: unknown, fields: readonly GqlSelection[], path: (string | number)[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of flatten(fields, input.doc)) {
      const key = f.alias ?? f.name;
      if (f.name === '__typename') {
        out[key] = typeName;
        continue;
      }
      const def = input.schema[typeName]?.[f.name];
      if (!def) continue;
      const args = Object.fromEntries(Object.entries(f.args).map(([k, v]) => [k, evaluate(v, input.variables, input.defaults)]));
      const here = [...path, key];
      try {
        const value = def.resolve(parent, args, input.ctx);
        const objectType = def.type;
        if (objectType === null || value === null || value === undefined || !f.selections) out[key] = value ?? null;
        else if (def.list) out[key] = (value as unknown[]).map((item, i) => run(objectType, item, f.selections ?? [], [...here, i]));
        else out[key] = run(objectType, value, f.selections, here);
      } catch (error) {
        if (!(error instanceof FieldError)) throw error;
        errors.push({ message: error.message, locations: [{ line: f.line, column: f.column }], path: here });
        out[key] = null;
      }
    }
    return out;
  };
  const data = run(input.rootType, null, input.selections, []);
  return errors.length > 0 ? { data, errors } : { data };
}

/** Rough graphql-ruby complexity (1 per field, connections scaled by page size), for the fault's message. */
export function roughComplexity(selections: readonly GqlSelection[], doc: GqlDocument): number {
  return flatten(selections, doc).reduce((sum, f) => {
    const first = f.args.first?.kind === 'scalar' && typeof f.args.first.value === 'number' ? f.args.first.value : 100;
    const child = f.selections ? roughComplexity(f.selections, doc) : 0;
    return sum + 1 + (f.selections?.some((s) => s.kind === 'field' && s.name === 'nodes') ? Math.ceil(child * (1 + first / 100)) : child);
  }, 0);
}
