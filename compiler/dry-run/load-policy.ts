import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import { sortDiagnostics } from '../diagnostics.ts';
import { readBundleFile } from '../commands/read-bundle.ts';
import { readTrustedKeys } from '../commands/signing-keys.ts';
import { loadOrgPolicy, type LoadedOrg } from '../load/load-policies.ts';
import { formatText } from '../report/format-text.ts';
import { bundlePolicy, type EffectivePolicy } from './effective-policy.ts';

/** The options every dry-run subcommand takes to name its policy. */
export const POLICY_OPTIONS = {
  'org-policy': { type: 'string' },
  bundle: { type: 'string' },
  'trusted-key': { type: 'string', multiple: true },
  repo: { type: 'string' },
} as const;

export type ValidOrg = LoadedOrg & { readonly org: NonNullable<LoadedOrg['org']> };

/**
 * Reads and validates the org policy. An invalid one cannot be compiled (the real compile would
 * stop too), so its diagnostics go to stderr and the command fails.
 */
export async function readOrgPolicy(command: string, file: string, io: CliIo): Promise<ValidOrg> {
  const text = await readFile(resolve(io.cwd, file), 'utf8').catch(() => {
    throw new UsageError(`aigate ${command}: cannot read the org policy "${file}"`);
  });
  const loaded = loadOrgPolicy(file, text);
  if (!loaded.org) {
    io.stderr(formatText({ files: [{ file, kind: 'org-policy', valid: false }], diagnostics: sortDiagnostics(loaded.diagnostics), texts: new Map([[file, text]]) }, false));
    throw new ExitError(EXIT.failed, `aigate ${command}: the org policy ${file} is invalid, so nothing can be compiled from it`);
  }
  return { ...loaded, org: loaded.org };
}

/** A bundle file (verified when trusted keys are given) as the policy of one project path. */
export async function readBundlePolicy(command: string, file: string, trustedKeyFiles: readonly string[], projectPath: string, io: CliIo): Promise<EffectivePolicy> {
  const trusted = await readTrustedKeys(command, trustedKeyFiles.map((k) => resolve(io.cwd, k)));
  const { payload, keyid } = await readBundleFile(command, resolve(io.cwd, file), trusted, { allowExpired: true });
  return bundlePolicy(payload, file, keyid, projectPath);
}

/** `--org-policy` and `--bundle` are two ways to name the policy; exactly one is needed. */
export function policyMode(command: string, values: { 'org-policy'?: string | undefined; bundle?: string | undefined }): 'org' | 'bundle' {
  if (values['org-policy'] && values.bundle) throw new UsageError(`aigate ${command}: give either --org-policy FILE or --bundle FILE, not both`);
  if (values['org-policy']) return 'org';
  if (values.bundle) return 'bundle';
  throw new UsageError(`aigate ${command}: name the policy with --org-policy ai-policy.yml or --bundle bundle.json`, `run "aigate ${command} --help" for usage`);
}
