import type { Redactor, RedactionCounts } from '../../policy/redact.ts';
import { maskSecret } from './mask.ts';
import { changedRegions, lineStarts, type Region } from './text-diff.ts';

/** One place the redactor changed a file: where, by which rule(s), and a masked preview. */
export interface RedactionFinding {
  readonly rules: readonly string[];
  readonly line: number;
  readonly column: number;
  /** A recognisable prefix and a mask (`glpat-****`); never the matched text. */
  readonly preview: string;
}

/** A region of the original text the redactor replaced (internal: holds offsets, not text). */
export interface LocatedRegion extends Region {
  readonly rules: readonly string[];
}

/**
 * Locates what the redactor changed in `text`, given its output. The redactor only reports counts,
 * so positions come from comparing its input with its output: every region it rewrote is a place
 * the proxy would redact, whatever rule interplay produced it. Each region is attributed to rule
 * ids by the `[REDACTED:<id>]` markers it left, else by running the same redactor over the region's
 * lines, else by the file's counts.
 */
export function locateRegions(text: string, redacted: string, counts: RedactionCounts, redactor: Redactor): LocatedRegion[] {
  const fileRules = Object.keys(counts);
  const starts = lineStarts(text);
  return changedRegions(text, redacted).map((region) => {
    const replaced = redacted.slice(region.bStart, region.bEnd);
    const marked = [...replaced.matchAll(/\[REDACTED:([\w.-]+)\]/gu)].map((m) => m[1] ?? '').filter((id) => Object.hasOwn(counts, id));
    let rules = unique(marked);
    if (rules.length === 0) {
      const first = lineOf(starts, region.aStart);
      const last = lineOf(starts, Math.max(region.aStart, region.aEnd - 1));
      const lines = text.slice(starts[first], (starts[last + 1] ?? text.length + 1) - 1);
      rules = Object.keys(redactor.redact(lines).counts);
    }
    return { ...region, rules: rules.length > 0 ? rules : fileRules };
  });
}

/** The regions as findings with line, column and a masked preview. */
export function toFindings(text: string, regions: readonly LocatedRegion[]): RedactionFinding[] {
  const starts = lineStarts(text);
  return regions.map((r) => {
    const line = lineOf(starts, r.aStart);
    return { rules: r.rules, line: line + 1, column: r.aStart - (starts[line] ?? 0) + 1, preview: maskSecret(text.slice(r.aStart, Math.min(r.aEnd, r.aStart + 64))) };
  });
}

/** Redacts `text` with `redactor` and locates every change; empty when nothing is redacted. */
export function findRedactions(text: string, redactor: Redactor): { counts: RedactionCounts; findings: RedactionFinding[] } {
  const result = redactor.redact(text);
  if (Object.keys(result.counts).length === 0) return { counts: result.counts, findings: [] };
  return { counts: result.counts, findings: toFindings(text, locateRegions(text, result.text, result.counts, redactor)) };
}

/** 0-based line containing `offset`. */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
