import type { ErrorObject } from 'ajv/dist/2020.js';
import type { DiagnosticCode } from '../codes.ts';
import { humanPath, toPointer, type Diagnostic } from '../diagnostics.ts';
import type { YamlSource } from '../load/read-yaml.ts';
import { didYouMean } from './did-you-mean.ts';

/** Errors that only say "a branch failed"; the branch's own errors say what is wrong. */
const WRAPPERS = new Set(['if', 'anyOf', 'oneOf', 'not', 'then', 'else']);

const YAML_11_BOOLEANS = /^(?:y|yes|n|no|on|off|true|false)$/i;

interface Mapped {
  readonly code: DiagnosticCode;
  readonly pointer: string;
  readonly at: 'key' | 'value';
  readonly message: string;
  readonly hint?: string | undefined;
}

/** Turns every ajv error into a located diagnostic (all of them, not the first). */
export function schemaDiagnostics(errors: readonly ErrorObject[], source: YamlSource): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const error of errors) {
    if (WRAPPERS.has(error.keyword)) continue;
    const mapped = mapError(error);
    const key = `${mapped.code}\0${mapped.pointer}\0${mapped.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const pos = source.locate(mapped.pointer, mapped.at);
    out.push({
      code: mapped.code,
      severity: 'error',
      file: source.file,
      pointer: mapped.pointer,
      line: pos.line,
      column: pos.column,
      length: pos.length,
      message: mapped.message,
      ...(mapped.hint ? { hint: mapped.hint } : {}),
    });
  }
  return out;
}

function mapError(error: ErrorObject): Mapped {
  const where = humanPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const pointer = `${error.instancePath}${toPointer([name])}`;
      const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      if (isProviderMap(error.instancePath)) {
        const guess = didYouMean(name, allowed);
        return { code: 'unknown_provider', pointer, at: 'key', message: `unknown provider "${name}"`, hint: guess ? `did you mean "${guess}"?` : `known providers: ${allowed.join(', ')}` };
      }
      const guess = didYouMean(name, allowed);
      const wrapper = error.instancePath === '' && allowed.includes('ai_access') ? 'settings go under "ai_access:"' : undefined;
      return {
        code: 'schema_unknown_property',
        pointer,
        at: 'key',
        message: `unknown property "${name}" in ${where}`,
        hint: guess ? `did you mean "${guess}"?` : (wrapper ?? `allowed here: ${allowed.join(', ')}`),
      };
    }
    case 'required': {
      const name = String(params['missingProperty']);
      const hint = name === 'enabled' ? 'add "enabled: true" to opt the repository in, or "enabled: false" to opt out' : name === 'ai_access' ? 'an .aiconfig starts with "ai_access:"' : undefined;
      return { code: 'schema_missing_property', pointer: error.instancePath, at: 'key', message: `${where} is missing the required property "${name}"`, hint };
    }
    case 'type': {
      const expected = String(params['type']).replace(',', ' or ');
      const hint =
        typeof error.data === 'string' && expected === 'boolean' && YAML_11_BOOLEANS.test(error.data)
          ? 'YAML 1.2 reads yes/no/on/off as text; write true or false without quotes'
          : expected === 'array'
            ? 'write a list: [a, b] or one "- item" per line'
            : undefined;
      return { code: 'schema_type', pointer: error.instancePath, at: 'value', message: `${where} must be ${article(expected)}, not ${describe(error.data)}`, hint };
    }
    case 'enum':
    case 'const': {
      const allowed = (error.keyword === 'enum' ? (params['allowedValues'] as unknown[]) : [params['allowedValue']]).map(String);
      const guess = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
      const hint = guess ? `did you mean "${guess}"?` : `allowed: ${allowed.join(', ')}`;
      if (error.schemaPath.includes('/provider/')) return { code: 'unknown_provider', pointer: error.instancePath, at: 'value', message: `unknown provider ${quote(error.data)}`, hint };
      return { code: 'schema_enum', pointer: error.instancePath, at: 'value', message: `${where} must be one of ${allowed.join(', ')}, not ${quote(error.data)}`, hint };
    }
    case 'pattern': {
      const isId = error.instancePath.endsWith('/id');
      return {
        code: 'schema_pattern',
        pointer: error.instancePath,
        at: 'value',
        message: isId ? `rule id ${quote(error.data)} may only use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit` : `${where} must match ${String(params['pattern'])}`,
      };
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const limit = Number(params['limit']);
      const message = limit === 1 && error.keyword.startsWith('min') ? `${where} must not be empty` : `${where} ${error.message ?? ''}`;
      return { code: 'schema_length', pointer: error.instancePath, at: 'value', message };
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { code: 'schema_range', pointer: error.instancePath, at: 'value', message: `${where} ${error.message ?? ''} (got ${describe(error.data)})` };
    case 'uniqueItems': {
      // ajv reports the pair (i, j); the later index is the duplicate a person would delete.
      const j = Math.max(Number(params['i']), Number(params['j']));
      const pointer = `${error.instancePath}${toPointer([j])}`;
      const items = Array.isArray(error.data) ? error.data : [];
      return { code: 'schema_duplicate_item', pointer, at: 'value', message: `${quote(items[j])} is listed twice in ${where}`, hint: 'remove the duplicate' };
    }
    default:
      return { code: 'schema_violation', pointer: error.instancePath, at: 'value', message: `${where} ${error.message ?? 'is invalid'}` };
  }
}

/** The org policy's `providers:` map, where an unknown key is an unknown provider. */
function isProviderMap(instancePath: string): boolean {
  return instancePath === '/providers';
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describe(value);
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}
