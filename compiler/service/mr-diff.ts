import { compareFiles } from '../dry-run/diff-files.ts';
import { comparePolicies, sideSummary, type DiffSide } from '../dry-run/diff-policy.ts';
import type { DiffReport } from '../dry-run/diff-report.ts';
import { verdictOf } from '../dry-run/diff-verdict.ts';
import { compilePolicy } from '../dry-run/effective-policy.ts';
import type { TreeEntry } from '../dry-run/git-tree.ts';
import type { ValidOrg } from '../dry-run/load-policy.ts';
import { policyView } from '../dry-run/policy-view.ts';

export interface MrSide {
  readonly label: string;
  readonly commit: string;
  /** The root `.aiconfig` text at that commit, or undefined when there is none. */
  readonly aiconfig: string | undefined;
}

/**
 * The dry-run diff of a merge request from data read through the GitLab API (no checkout): both
 * `.aiconfig` versions compiled with the current org policy, and the head tree's paths checked on
 * both sides through decide(). File contents are not fetched, so secrets are not compared; the
 * note says so (the CI template's `aigate dry-run diff` job does compare them).
 */
export async function mergeRequestDiff(org: ValidOrg, projectPath: string, base: MrSide, head: MrSide, headTree: readonly TreeEntry[], now = Date.now()): Promise<DiffReport> {
  const side = (s: MrSide): DiffSide => {
    const policy = compilePolicy(org, projectPath, s.aiconfig === undefined ? undefined : { file: '.aiconfig', text: s.aiconfig }, now);
    return { label: s.label, commit: s.commit, policy, view: policyView(policy) };
  };
  const b = side(base);
  const h = side(head);
  {
    const files = await compareFiles('', headTree, b, h, false);
    const baseSummary = sideSummary(b);
    const headSummary = sideSummary(h);
    const policy = comparePolicies(b, h);
    const found = { files: { total: headTree.length, becomeVisible: files.becomeVisible, becomeHidden: files.becomeHidden }, secrets: { compared: false, noLongerRedacted: [], newlyRedacted: [] } };
    const change = base.aiconfig === undefined ? (head.aiconfig === undefined ? 'unchanged' : 'added') : head.aiconfig === undefined ? 'deleted' : 'modified';
    return {
      project: projectPath,
      aiconfigChange: change,
      base: baseSummary,
      head: headSummary,
      policy,
      ...found,
      ...verdictOf(projectPath, baseSummary, headSummary, policy, found),
      warnings: [],
    };
  }
}
