import type { Diagnostic } from '../diagnostics.ts';
import { loadRepoPolicy, type LoadedOrg } from '../load/load-policies.ts';
import type { RepoInput } from '../merge/merge-project.ts';
import type { AiconfigBlob } from './fetch-aiconfigs.ts';

export const AICONFIG_FILE = '.aiconfig';

/** A blob as merge input: none, a denying `invalid` entry (unreadable), or the validated file. */
export function aiconfigInput(blob: AiconfigBlob, org: LoadedOrg, meta: { commit?: string } = {}): RepoInput {
  if (blob.kind === 'none') return { kind: 'none' };
  if (blob.kind === 'unreadable') {
    const diagnostic: Diagnostic = { code: 'file_unreadable', severity: 'error', file: AICONFIG_FILE, pointer: '', line: 1, column: 1, message: blob.reason };
    return { kind: 'invalid', file: AICONFIG_FILE, diagnostics: [diagnostic], ...(blob.oid ? { blob: blob.oid } : {}), ...meta };
  }
  return loadRepoPolicy(AICONFIG_FILE, blob.text ?? '', org.value, { blob: blob.oid, ...meta }).input;
}
