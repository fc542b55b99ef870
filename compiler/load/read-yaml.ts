import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { DiagnosticCode } from '../codes.ts';
import { fromPointer, type Diagnostic } from '../diagnostics.ts';

/** Policy files are small; anything bigger is a mistake or an attack on the parser. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;

/** Hints for the parser errors people hit most; YAML often reports an indentation slip a line early. */
const YAML_HINTS: Readonly<Record<string, string>> = {
  BAD_INDENT: 'check the indentation of this line and the next: keys of one mapping line up exactly',
  MULTILINE_IMPLICIT_KEY: 'check the indentation of the next line: a key indented deeper than its siblings continues the previous value',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation of the next line: a key indented deeper than its siblings continues the previous value',
  MISSING_CHAR: 'a quote or bracket is not closed',
  UNEXPECTED_TOKEN: 'quote values that contain ":", "#", "[", "{" or start with "*", "&", "!" or "@"',
  TAB_AS_INDENT: 'YAML indentation uses spaces, not tabs',
};

/** A parsed YAML (or JSON) file that can say where any JSON pointer sits in its text. */
export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly value: unknown;
  /** Position of the node at `pointer` (its key with `at: 'key'`), or of its nearest existing ancestor. */
  readonly locate: (pointer: string, at?: 'key' | 'value') => SourcePosition;
}

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly length: number;
  /** Offset of the first character in `text`. */
  readonly offset: number;
}

export interface ReadYamlResult {
  readonly source: YamlSource | undefined;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses YAML 1.2 (a superset of JSON) with source positions. Duplicate keys, syntax errors, several
 * documents and alias bombs are diagnostics; `source` is present only when a value could be read.
 */
export function readYaml(file: string, text: string): ReadYamlResult {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const at = (offset: number, code: DiagnosticCode, message: string, hint?: string, severity: 'error' | 'warning' = 'error') => {
    // The parser can report one fault twice (once per pass); keep one.
    const key = `${offset}\0${code}\0${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    const pos = lineCounter.linePos(offset);
    diagnostics.push({ code, severity, file, pointer: '', line: pos.line, column: pos.col, length: 1, message, ...(hint ? { hint } : {}) });
  };

  if (Buffer.byteLength(text) > MAX_POLICY_FILE_BYTES) {
    diagnostics.push({ code: 'file_too_large', severity: 'error', file, pointer: '', line: 1, column: 1, message: `policy file is larger than ${MAX_POLICY_FILE_BYTES} bytes` });
    return { source: undefined, diagnostics };
  }

  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true, version: '1.2', keepSourceTokens: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length > 1) {
    const second = list[1] as Document.Parsed;
    at(second.range[0], 'yaml_multiple_documents', 'a policy file holds exactly one YAML document', 'remove the extra "---" document separator');
  }
  const doc = list[0] as Document.Parsed | undefined;
  for (const d of list) {
    for (const error of d.errors) {
      const duplicate = error.code === 'DUPLICATE_KEY';
      const message = duplicate ? `duplicate key "${keyAt(text, error.pos[0])}"` : firstLine(error.message);
      at(error.pos[0], duplicate ? 'yaml_duplicate_key' : 'yaml_syntax', message, duplicate ? 'each key may appear once in a mapping; merge the two entries' : YAML_HINTS[error.code]);
    }
    for (const warning of d.warnings) at(warning.pos[0], 'yaml_syntax', firstLine(warning.message), undefined, 'warning');
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { source: undefined, diagnostics };

  if (!doc || doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    diagnostics.push({ code: 'file_empty', severity: 'error', file, pointer: '', line: 1, column: 1, message: 'the file is empty', hint: 'see docs/aiconfig.md or docs/org-policy.md for a minimal example' });
    return { source: undefined, diagnostics };
  }

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    at(0, 'yaml_alias_limit', error instanceof Error ? firstLine(error.message) : 'too many aliases', 'policy files do not need YAML anchors and aliases; write the values out');
    return { source: undefined, diagnostics };
  }

  const locate = (pointer: string, where: 'key' | 'value' = 'value'): SourcePosition => {
    const range = findRange(doc, fromPointer(pointer), where) ?? [0, 1];
    const pos = lineCounter.linePos(range[0]);
    const end = lineCounter.linePos(Math.max(range[0] + 1, range[1]));
    const length = end.line === pos.line ? Math.max(1, end.col - pos.col) : Math.max(1, lineLength(text, range[0]));
    return { line: pos.line, column: pos.col, length, offset: range[0] };
  };
  return { source: { file, text, value, locate }, diagnostics };
}

/** Walks the YAML tree along the pointer; returns the deepest range it could find. */
function findRange(doc: Document.Parsed, segments: readonly string[], where: 'key' | 'value'): [number, number] | undefined {
  let node: unknown = doc.contents;
  let best: [number, number] | undefined = rangeOf(node);
  let keyRange: [number, number] | undefined;
  for (const segment of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    keyRange = undefined;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === segment);
      if (!pair) return best;
      keyRange = rangeOf(pair.key);
      node = pair.value;
      best = rangeOf(node) ?? keyRange ?? best;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined || !/^\d+$/.test(segment)) return best;
      node = item;
      best = rangeOf(node) ?? best;
    } else {
      return best;
    }
  }
  if (where === 'key' && keyRange) return keyRange;
  // A null value (`key:` with nothing after it) has no useful range: point at the key.
  if (isScalar(node) && node.value === null && keyRange) return keyRange;
  return best;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as Node | null | undefined)?.range;
  if (!range) return undefined;
  return [range[0], range[1]];
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}

/** The key text starting at a duplicate-key error's offset, for the message. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset, offset + 200);
  const match = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^:\n#]*?))\s*:/.exec(rest);
  return (match?.[1] ?? match?.[2] ?? match?.[3] ?? rest.split('\n')[0] ?? '').trim();
}

function lineLength(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  return (end === -1 ? text.length : end) - offset;
}
