/** A property declared somewhere in a JSON Schema, with a readable path such as groups[].namespace. */
export interface SchemaProperty {
  readonly path: string;
  readonly schema: Readonly<Record<string, unknown>>;
}

type Schema = Readonly<Record<string, unknown>>;

/**
 * Every property of a schema, following `$ref`s into `$defs`, `items` (as `[]`) and if/then/else.
 * A `$defs` entry is walked once: a second reference lists only the referring property, so a shared
 * definition (rate limits under the org and under a group) is documented in one place.
 */
export function schemaProperties(root: Schema): SchemaProperty[] {
  const out: SchemaProperty[] = [];
  const visitedDefs = new Set<string>();
  const resolve = (schema: Schema): Schema | undefined => {
    const ref = schema['$ref'];
    if (typeof ref !== 'string') return schema;
    const name = ref.replace('#/$defs/', '');
    if (visitedDefs.has(name)) return undefined;
    visitedDefs.add(name);
    return ((root['$defs'] as Record<string, Schema> | undefined)?.[name]) ?? undefined;
  };
  const walk = (schema: Schema, path: string) => {
    const target = resolve(schema);
    if (!target) return;
    const properties = target['properties'] as Record<string, Schema> | undefined;
    for (const [name, child] of Object.entries(properties ?? {})) {
      const childPath = path ? `${path}.${name}` : name;
      out.push({ path: childPath, schema: child });
      walk(child, childPath);
    }
    for (const key of ['items', 'then', 'else'] as const) {
      const sub = target[key];
      if (sub && typeof sub === 'object') walk(sub as Schema, key === 'items' ? `${path}[]` : path);
    }
  };
  walk(root, '');
  return out;
}

/** Every object-shaped subschema (has `properties`), for structural checks. */
export function objectSchemas(root: Schema): { path: string; schema: Schema }[] {
  const out: { path: string; schema: Schema }[] = [];
  const visit = (node: unknown, path: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}/${i}`));
    const schema = node as Schema;
    if (schema['properties']) out.push({ path, schema });
    for (const [k, v] of Object.entries(schema)) if (k !== 'enum' && k !== 'const') visit(v, `${path}/${k}`);
  };
  visit(root, '#');
  return out;
}
