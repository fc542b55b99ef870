import { lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from '../../policy/decide.ts';
import { describeSource } from '../../policy/describe-source.ts';
import type { EffectivePolicy } from './effective-policy.ts';
import { readFileContent, type FileContent } from './file-content.ts';
import { findRedactions } from './locate-redactions.ts';
import { decideFile, type PolicyView } from './policy-view.ts';
import type { FileResult, SkipReason } from './scan-report.ts';
import type { TreeGuard } from './tree-guard.ts';

/** Files above this are reported, not read, when no size limit already keeps them from the proxy. */
export const MAX_SCAN_BYTES = 64 * 1024 * 1024;

export interface ScanContext {
  readonly policy: EffectivePolicy;
  readonly view: PolicyView;
  readonly guard: TreeGuard;
}

/**
 * One file through the proxy's checks: decide() on its path and size first, so an excluded or
 * too-large file is reported without its content ever being read; then the rule set's redactor
 * over the text of a file that would be sent. Nothing outside the tree is ever opened.
 * Synchronous on purpose: a scan thread has nothing else to do meanwhile, and for small files the
 * thread-pool round trips of async calls cost more than the reads (threads give the concurrency).
 */
export function scanFile(ctx: ScanContext, path: string): FileResult {
  if (!ctx.guard.parentsInside(path)) return skipped(path, 'outside_tree');
  const abs = join(ctx.guard.root, path);
  const info = lstatSync(abs, { throwIfNoEntry: false });
  if (!info) return skipped(path, 'missing');

  let readPath = abs;
  let size: number | undefined;
  let symlink: string | undefined;
  let skip: SkipReason | undefined;
  if (info.isSymbolicLink()) {
    const target = ctx.guard.resolveLink(path);
    if (target.kind === 'inside') {
      const targetInfo = statSync(target.real, { throwIfNoEntry: false });
      symlink = target.path;
      readPath = target.real;
      if (targetInfo?.isFile()) size = targetInfo.size;
      else skip = 'not_regular';
    } else skip = target.kind === 'outside' ? 'symlink_outside' : 'symlink_dangling';
  } else if (info.isFile()) size = info.size;
  else skip = 'not_regular';

  const decision = decideFile(ctx.policy, ctx.view, path, size);
  if (!decision.allow) return refused(path, size, decision);
  const base = { path, ...(size !== undefined ? { size } : {}), ...(symlink !== undefined ? { symlink } : {}) };
  if (skip) return { ...base, status: 'skipped', skip };
  if (size === undefined) return { ...base, status: 'skipped', skip: 'not_regular' };
  if (size > MAX_SCAN_BYTES) return { ...base, status: 'skipped', skip: 'too_big_to_scan' };

  let content: FileContent;
  try {
    content = readFileContent(readPath, size);
  } catch {
    return { ...base, status: 'skipped', skip: 'unreadable' };
  }
  if (content.kind === 'binary') return { ...base, status: 'skipped', skip: 'binary' };
  const { counts, findings } = findRedactions(content.text, decision.ruleSet.redactor);
  return {
    ...base,
    status: 'visible',
    ...(content.utf8 ? {} : { invalidUtf8: true }),
    ...(findings.length > 0 ? { redactions: findings, counts } : {}),
  };
}

function skipped(path: string, skip: SkipReason): FileResult {
  return { path, status: 'skipped', skip };
}

function refused(path: string, size: number | undefined, d: Exclude<Decision, { allow: true }>): FileResult {
  const status = d.reason === 'file_excluded' ? 'excluded' : d.reason === 'file_too_large' ? 'too_large' : 'denied';
  const rule = d.rule ? { value: d.rule.value, source: describeSource(d.rule.source), ...(d.rule.source?.file ? { file: d.rule.source.file } : {}), ...(d.rule.source?.line ? { line: d.rule.source.line } : {}) } : undefined;
  return { path, status, ...(size !== undefined ? { size } : {}), reason: d.reason, message: d.message, ...(rule ? { rule } : {}) };
}
