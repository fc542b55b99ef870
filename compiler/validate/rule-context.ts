import type { DiagnosticCode } from '../codes.ts';
import type { Diagnostic, Severity } from '../diagnostics.ts';
import type { YamlSource } from '../load/read-yaml.ts';
import type { PolicyKind } from './schema-registry.ts';

export interface Finding {
  readonly code: DiagnosticCode;
  readonly severity?: Severity;
  readonly pointer: string;
  readonly at?: 'key' | 'value';
  readonly message: string;
  readonly hint?: string | undefined;
  /** Index inside the string value at `pointer`, to point at the exact character when the text allows. */
  readonly index?: number;
}

/** What a semantic rule sees: the document, an optional org policy for cross-checks, and a sink. */
export interface RuleContext {
  readonly kind: PolicyKind;
  readonly value: unknown;
  /** The org policy value (already validated) when `--org-policy` was given. */
  readonly org: unknown;
  readonly report: (finding: Finding) => void;
}

/** A semantic rule: a small named function that reports findings, never throws for bad input. */
export type PolicyRule = (ctx: RuleContext) => void;

/** Builds the context that turns findings into located diagnostics. */
export function ruleContext(kind: PolicyKind, source: YamlSource, org: unknown, sink: Diagnostic[]): RuleContext {
  return {
    kind,
    value: source.value,
    org,
    report: (f) => {
      const pos = source.locate(f.pointer, f.at ?? 'value');
      let column = pos.column;
      let length = pos.length;
      if (f.index !== undefined) {
        const inner = innerColumn(source, f.pointer, pos.offset, f.index);
        if (inner !== undefined) {
          column += inner;
          length = 1;
        }
      }
      sink.push({
        code: f.code,
        severity: f.severity ?? 'error',
        file: source.file,
        pointer: f.pointer,
        line: pos.line,
        column,
        length,
        message: f.message,
        ...(f.hint ? { hint: f.hint } : {}),
      });
    },
  };
}

/**
 * Column offset of character `index` of a string value, when the source spells the value verbatim
 * (plain scalar, or quoted without escapes before the index); otherwise undefined.
 */
function innerColumn(source: YamlSource, pointer: string, offset: number, index: number): number | undefined {
  const value = valueAt(source.value, pointer);
  if (typeof value !== 'string') return undefined;
  const quote = source.text[offset];
  const start = quote === '"' || quote === "'" ? offset + 1 : offset;
  const prefix = value.slice(0, index);
  if (source.text.slice(start, start + prefix.length) !== prefix || prefix.includes('\n')) return undefined;
  return start - offset + index;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
