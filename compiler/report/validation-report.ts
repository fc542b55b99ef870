import type { Diagnostic } from '../diagnostics.ts';

/** What `aigate validate` found, independent of how it is printed. */
export interface ValidationReport {
  readonly files: readonly { readonly file: string; readonly kind: string; readonly valid: boolean }[];
  readonly diagnostics: readonly Diagnostic[];
  /** File texts, for printing the offending source line. */
  readonly texts: ReadonlyMap<string, string>;
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings };
}
