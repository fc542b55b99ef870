import type { ReasonCode } from '../../policy/reasons.ts';
import type { ProviderId } from '../../policy/providers.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { RedactionFinding } from './locate-redactions.ts';

/**
 * What happens to one file: `visible` (it may be sent; redactions say what would be scrubbed),
 * `excluded` / `too_large` / `denied` (decide() refuses it), `skipped` (not scanned: binary, a
 * symlink leading out of the tree, ...).
 */
export type FileStatus = 'visible' | 'excluded' | 'too_large' | 'denied' | 'skipped';

export type SkipReason = 'binary' | 'symlink_outside' | 'symlink_dangling' | 'not_regular' | 'missing' | 'unreadable' | 'outside_tree' | 'too_big_to_scan';

export interface FileResult {
  readonly path: string;
  readonly status: FileStatus;
  readonly size?: number;
  /** decide()'s reason and message, for a refused file. */
  readonly reason?: ReasonCode;
  readonly message?: string;
  /** The deciding rule (glob or setting) and where it is written. */
  readonly rule?: { readonly value: string; readonly source: string; readonly line?: number; readonly file?: string };
  readonly skip?: SkipReason;
  /** A symbolic link inside the tree: the repository path it leads to (its content is what is scanned). */
  readonly symlink?: string;
  /** The file is not valid UTF-8: scanned as decoded with U+FFFD replacement. */
  readonly invalidUtf8?: boolean;
  readonly redactions?: readonly RedactionFinding[];
  /** Replacements per rule id, as the redactor counted them. */
  readonly counts?: Readonly<Record<string, number>>;
}

export interface ScanReport {
  readonly root: string;
  readonly mode: 'git' | 'walk';
  readonly project: string;
  readonly origin: string;
  readonly provider: ProviderId;
  readonly allowedProviders: readonly ProviderId[];
  /** Set when decide() refuses the repository itself: then no file can be sent and none is scanned. */
  readonly denial?: { readonly reason: ReasonCode; readonly message: string };
  readonly maxFileSize: number | null;
  readonly maxFileSizeSource: string | undefined;
  readonly exclusions: number;
  readonly rules: number;
  readonly warnings: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
  readonly files: readonly FileResult[];
  readonly elapsedMs: number;
}

export interface ScanSummary {
  readonly files: number;
  readonly visible: number;
  readonly excluded: number;
  readonly tooLarge: number;
  readonly denied: number;
  readonly skipped: number;
  readonly withRedactions: number;
  readonly redactions: number;
  readonly invalidUtf8: number;
  readonly byRule: Readonly<Record<string, number>>;
}

export function summarize(report: ScanReport): ScanSummary {
  let visible = 0, excluded = 0, tooLarge = 0, denied = 0, skipped = 0, withRedactions = 0, redactions = 0, invalidUtf8 = 0;
  const byRule: Record<string, number> = {};
  for (const f of report.files) {
    if (f.status === 'visible') visible++;
    else if (f.status === 'excluded') excluded++;
    else if (f.status === 'too_large') tooLarge++;
    else if (f.status === 'denied') denied++;
    else skipped++;
    if (f.invalidUtf8) invalidUtf8++;
    if (f.counts && Object.keys(f.counts).length > 0) {
      withRedactions++;
      for (const [id, n] of Object.entries(f.counts)) {
        byRule[id] = (byRule[id] ?? 0) + n;
        redactions += n;
      }
    }
  }
  return { files: report.files.length, visible, excluded, tooLarge, denied, skipped, withRedactions, redactions, invalidUtf8, byRule };
}

export const SKIP_TEXT: Readonly<Record<SkipReason, string>> = {
  binary: 'binary (NUL byte in the first 8 KB), not scanned',
  symlink_outside: 'symbolic link leading outside the tree, target not read',
  symlink_dangling: 'symbolic link to nothing',
  not_regular: 'not a regular file (directory, submodule, device), not read',
  missing: 'tracked but missing from the work tree',
  unreadable: 'cannot be read',
  outside_tree: 'below a symbolic link, not read',
  too_big_to_scan: 'too big to scan in memory (there is no size limit to stop it), not scanned',
};
