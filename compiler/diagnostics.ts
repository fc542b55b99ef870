import type { DiagnosticCode } from './codes.ts';

export type Severity = 'error' | 'warning';

/**
 * One finding about a policy file, located at the offending key or value. Input problems are data:
 * they are collected and returned, never thrown one at a time.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly file: string;
  /** JSON pointer (RFC 6901) into the document, '' for the whole file. */
  readonly pointer: string;
  /** 1-based line and column of the first character. */
  readonly line: number;
  readonly column: number;
  /** Characters to underline on that line (at least 1). */
  readonly length?: number;
  readonly message: string;
  readonly hint?: string;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Stable order for output: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code.localeCompare(b.code),
  );
}

/** RFC 6901: a pointer from path segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A pointer as people read it: ai_access.exclude[2]. */
export function humanPath(pointer: string): string {
  const segments = fromPointer(pointer);
  if (segments.length === 0) return 'the document';
  return segments.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}
