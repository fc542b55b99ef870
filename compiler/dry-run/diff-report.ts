import type { ProviderId } from '../../policy/providers.ts';
import type { ReasonCode } from '../../policy/reasons.ts';
import type { Diagnostic } from '../diagnostics.ts';
import type { RedactionFinding } from './locate-redactions.ts';

/** A rule (exclusion glob or redaction rule id) and where it is written. */
export interface RuleRef {
  readonly value: string;
  readonly source: string;
}

/** One side of the comparison: which policy, and what decide() says about the project. */
export interface SideSummary {
  readonly label: string;
  readonly commit?: string;
  readonly origin: string;
  readonly aiconfig: 'present' | 'missing' | 'from-bundle';
  readonly allowed: boolean;
  readonly state: string;
  readonly reason?: ReasonCode;
  readonly message?: string;
  readonly providers: readonly ProviderId[];
  readonly maxFileSize: number | null;
  readonly exclusions: number;
  readonly rules: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** A file whose visibility changes, with why it is (or was) hidden. */
export interface FileChange {
  readonly path: string;
  readonly reason: ReasonCode;
  readonly rule?: RuleRef;
}

export interface SecretChange {
  readonly path: string;
  readonly finding: RedactionFinding;
}

export interface PolicyChanges {
  readonly providers: { readonly added: readonly ProviderId[]; readonly removed: readonly ProviderId[] };
  readonly exclusions: { readonly added: readonly RuleRef[]; readonly removed: readonly RuleRef[] };
  readonly redaction: { readonly added: readonly RuleRef[]; readonly removed: readonly RuleRef[]; readonly changed: readonly RuleRef[] };
  readonly maxFileSize?: { readonly base: number | null; readonly head: number | null; readonly raised: boolean };
}

export interface DiffReport {
  readonly project: string;
  /** What happened to `.aiconfig` between the refs (modified, renamed to …, deleted, …). */
  readonly aiconfigChange: string;
  readonly base: SideSummary;
  readonly head: SideSummary;
  readonly policy: PolicyChanges;
  readonly files: {
    readonly total: number;
    readonly becomeVisible: readonly FileChange[];
    readonly becomeHidden: readonly FileChange[];
  };
  readonly secrets: {
    /** False when the redaction rules did not change (or a side denies): contents were not read. */
    readonly compared: boolean;
    readonly noLongerRedacted: readonly SecretChange[];
    readonly newlyRedacted: readonly SecretChange[];
  };
  readonly loosening: readonly string[];
  readonly tightening: readonly string[];
  readonly verdict: 'loosens' | 'tightens' | 'invalid' | 'unchanged';
  readonly summary: string;
  readonly warnings: readonly string[];
}
