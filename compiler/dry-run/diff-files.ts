import type { Decision } from '../../policy/decide.ts';
import { describeSource } from '../../policy/describe-source.ts';
import type { Redactor } from '../../policy/redact.ts';
import { classifyContent } from './file-content.ts';
import { forEachBlob } from './git-blobs.ts';
import type { TreeEntry } from './git-tree.ts';
import type { DiffSide } from './diff-policy.ts';
import type { FileChange, SecretChange } from './diff-report.ts';
import { locateRegions, toFindings, type LocatedRegion } from './locate-redactions.ts';
import { decideFile } from './policy-view.ts';
import { MAX_SCAN_BYTES } from './scan-file.ts';

export interface FileComparison {
  readonly becomeVisible: FileChange[];
  readonly becomeHidden: FileChange[];
  readonly noLongerRedacted: SecretChange[];
  readonly newlyRedacted: SecretChange[];
}

/** decide() for one head file under one side's policy (a denied project denies every file). */
function decideOn(side: DiffSide, path: string, size: number | undefined): Decision {
  return side.view.decision.allow ? decideFile(side.policy, side.view, path, size) : side.view.decision;
}

function change(path: string, d: Decision): FileChange {
  if (d.allow) return { path, reason: 'file_excluded' };
  return { path, reason: d.reason, ...(d.rule ? { rule: { value: d.rule.value, source: describeSource(d.rule.source) } } : {}) };
}

/**
 * Both policies applied to the head tree's files. Visibility comes from decide() on each side.
 * When `scanContents` (both sides allow the project and their redaction rules differ), every text
 * file head would send is run through both redactors: a region base redacts that no head region
 * touches is a secret no longer redacted; the reverse is a secret newly redacted.
 */
export async function compareFiles(root: string, entries: readonly TreeEntry[], base: DiffSide, head: DiffSide, scanContents: boolean): Promise<FileComparison> {
  const out: FileComparison = { becomeVisible: [], becomeHidden: [], noLongerRedacted: [], newlyRedacted: [] };
  const toScan: TreeEntry[] = [];
  for (const entry of entries) {
    if (entry.mode === '160000') continue;
    const b = decideOn(base, entry.path, entry.size);
    const h = decideOn(head, entry.path, entry.size);
    if (!b.allow && h.allow) out.becomeVisible.push(change(entry.path, b));
    if (b.allow && !h.allow) out.becomeHidden.push(change(entry.path, h));
    if (scanContents && h.allow && entry.mode.startsWith('100') && (entry.size ?? 0) <= MAX_SCAN_BYTES) toScan.push(entry);
  }
  const baseRedactor = base.view.ruleSet?.redactor;
  const headRedactor = head.view.ruleSet?.redactor;
  if (!scanContents || !baseRedactor || !headRedactor) return out;
  await forEachBlob(root, toScan.map((e) => e.sha), (index, bytes) => {
    const entry = toScan[index];
    const content = classifyContent(bytes);
    if (!entry || content.kind !== 'text') return;
    const { lost, gained } = compareRedaction(content.text, baseRedactor, headRedactor);
    for (const finding of toFindings(content.text, lost)) out.noLongerRedacted.push({ path: entry.path, finding });
    for (const finding of toFindings(content.text, gained)) out.newlyRedacted.push({ path: entry.path, finding });
  });
  return out;
}

/** Regions one redactor rewrites and the other leaves untouched, both ways. */
export function compareRedaction(text: string, base: Redactor, head: Redactor): { lost: LocatedRegion[]; gained: LocatedRegion[] } {
  const b = base.redact(text);
  const h = head.redact(text);
  const bRegions = Object.keys(b.counts).length > 0 ? locateRegions(text, b.text, b.counts, base) : [];
  const hRegions = Object.keys(h.counts).length > 0 ? locateRegions(text, h.text, h.counts, head) : [];
  return { lost: untouched(bRegions, hRegions), gained: untouched(hRegions, bRegions) };
}

/** Regions of `these` that overlap none of `others` (both sorted by start). */
function untouched(these: readonly LocatedRegion[], others: readonly LocatedRegion[]): LocatedRegion[] {
  const end = (r: LocatedRegion) => Math.max(r.aEnd, r.aStart + 1);
  const out: LocatedRegion[] = [];
  let k = 0;
  for (const r of these) {
    while (k < others.length && end(others[k] as LocatedRegion) <= r.aStart) k++;
    let hit = false;
    for (let j = k; j < others.length && (others[j] as LocatedRegion).aStart < end(r); j++) {
      if (end(others[j] as LocatedRegion) > r.aStart) {
        hit = true;
        break;
      }
    }
    if (!hit) out.push(r);
  }
  return out;
}
