import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import { sortDiagnostics } from '../diagnostics.ts';
import { parseBundleText, readBundleFile, type ReadBundle } from '../commands/read-bundle.ts';
import { readTrustedKeys } from '../commands/signing-keys.ts';
import { MAX_POLICY_FILE_BYTES } from '../load/read-yaml.ts';
import { loadOrgPolicy, type LoadedOrg } from '../load/load-policies.ts';
import { formatText } from '../report/format-text.ts';
import { MAX_ENVELOPE_BYTES } from '../../policy/dsse.ts';
import { bundlePolicy, type EffectivePolicy } from './effective-policy.ts';
import { fetchSource, isUrl } from './fetch-source.ts';

/** The options every dry-run subcommand takes to name its policy. */
export const POLICY_OPTIONS = {
  'org-policy': { type: 'string' },
  'org-policy-token-env': { type: 'string' },
  bundle: { type: 'string' },
  'bundle-token-env': { type: 'string' },
  'trusted-key': { type: 'string', multiple: true },
  repo: { type: 'string' },
} as const;

export interface PolicyValues {
  readonly 'org-policy'?: string | undefined;
  readonly 'org-policy-token-env'?: string | undefined;
  readonly bundle?: string | undefined;
  readonly 'bundle-token-env'?: string | undefined;
  readonly 'trusted-key'?: readonly string[] | undefined;
}

/** `fetchedFrom`: the URL (as shown) an org policy was downloaded from. */
export type ValidOrg = LoadedOrg & { readonly org: NonNullable<LoadedOrg['org']>; readonly fetchedFrom?: string };

/**
 * Reads and validates the org policy, from a file or a URL. An invalid one cannot be compiled (the
 * real compile would stop too), so its diagnostics go to stderr and the command fails.
 */
export async function readOrgPolicy(command: string, values: PolicyValues, io: CliIo): Promise<ValidOrg> {
  const source = values['org-policy'] ?? '';
  let file = source;
  let text: string;
  let fetchedFrom: string | undefined;
  if (isUrl(source)) {
    const fetched = await fetchSource(command, {
      what: 'the org policy',
      url: source,
      tokenEnv: values['org-policy-token-env'],
      tokenOption: '--org-policy-token-env',
      authHeaders: gitlabAuth(values['org-policy-token-env']),
      tokenHint: 'a GitLab token needs read_api or read_repository and at least Reporter access to the policy project',
      notFoundHint: 'check the project (its id, or its path with / as %2F), the file path (/ as %2F too) and ?ref=; GitLab also answers 404 when the token cannot see the project',
      accept: 'text/plain, application/yaml, */*',
      maxBytes: MAX_POLICY_FILE_BYTES,
    }, io);
    text = fetched.text;
    fetchedFrom = fetched.shown;
    file = policyFileName(new URL(source));
    if (isGitLabFileJson(text)) throw new UsageError(`aigate ${command}: ${fetched.shown} answered GitLab's JSON description of the file, not the file`, 'use the raw endpoint: …/repository/files/:path/raw?ref=REF');
  } else {
    if (values['org-policy-token-env'] !== undefined) throw new UsageError(`aigate ${command}: --org-policy-token-env goes with an --org-policy URL, not a file`);
    text = await readFile(resolve(io.cwd, source), 'utf8').catch(() => {
      throw new UsageError(`aigate ${command}: cannot read the org policy "${source}"`);
    });
  }
  const loaded = loadOrgPolicy(file, text);
  if (!loaded.org) {
    io.stderr(formatText({ files: [{ file, kind: 'org-policy', valid: false }], diagnostics: sortDiagnostics(loaded.diagnostics), texts: new Map([[file, text]]) }, false));
    throw new ExitError(EXIT.failed, `aigate ${command}: the org policy ${fetchedFrom ?? file} is invalid, so nothing can be compiled from it`);
  }
  return { ...loaded, org: loaded.org, ...(fetchedFrom ? { fetchedFrom } : {}) };
}

/** A bundle file or URL (verified when trusted keys are given) as the policy of one project path. */
export async function readBundlePolicy(command: string, values: PolicyValues, projectPath: string, io: CliIo): Promise<EffectivePolicy> {
  const source = values.bundle ?? '';
  const trusted = await readTrustedKeys(command, (values['trusted-key'] ?? []).map((k) => resolve(io.cwd, k)));
  let bundle: ReadBundle;
  let label = source;
  if (isUrl(source)) {
    const fetched = await fetchSource(command, {
      what: 'the bundle',
      url: source,
      tokenEnv: values['bundle-token-env'],
      tokenOption: '--bundle-token-env',
      authHeaders: (token) => ({ authorization: `Bearer ${token}` }),
      tokenHint: 'the compiler service takes one of its publish.reader_tokens as a Bearer token',
      notFoundHint: 'the compiler service serves GET /bundles/current and /bundles/SERIAL',
      accept: 'application/json',
      maxBytes: MAX_ENVELOPE_BYTES,
    }, io);
    label = fetched.shown;
    bundle = parseBundleText(command, label, fetched.text, trusted, { allowExpired: true });
  } else {
    if (values['bundle-token-env'] !== undefined) throw new UsageError(`aigate ${command}: --bundle-token-env goes with a --bundle URL, not a file`);
    bundle = await readBundleFile(command, resolve(io.cwd, source), trusted, { allowExpired: true });
  }
  return bundlePolicy(bundle.payload, label, bundle.keyid, projectPath);
}

/** `--org-policy` and `--bundle` are two ways to name the policy; exactly one is needed. */
export function policyMode(command: string, values: PolicyValues): 'org' | 'bundle' {
  rejectStrayTokenOptions(command, values);
  if (values['org-policy'] && values.bundle) throw new UsageError(`aigate ${command}: give either --org-policy FILE|URL or --bundle FILE|URL, not both`);
  if (values['org-policy']) return 'org';
  if (values.bundle) return 'bundle';
  throw new UsageError(`aigate ${command}: name the policy with --org-policy ai-policy.yml or --bundle bundle.json (a file or an https:// URL)`, `run "aigate ${command} --help" for usage`);
}

/** A token option without the URL it is for is a mistake (a token meant for one server must not reach another). */
export function rejectStrayTokenOptions(command: string, values: PolicyValues): void {
  if (values['org-policy-token-env'] !== undefined && !values['org-policy']) throw new UsageError(`aigate ${command}: --org-policy-token-env goes with an --org-policy URL`);
  if (values['bundle-token-env'] !== undefined && !values.bundle) throw new UsageError(`aigate ${command}: --bundle-token-env goes with a --bundle URL`);
}

/**
 * GitLab takes a personal, project or group token as PRIVATE-TOKEN, but not a CI job token, which
 * goes in JOB-TOKEN (reference gitlab-api.md §1).
 */
function gitlabAuth(envName: string | undefined): (token: string) => Record<string, string> {
  const header = envName === 'CI_JOB_TOKEN' ? 'job-token' : 'private-token';
  return (token) => ({ [header]: token });
}

/**
 * The name rule sources cite, as the compiler service does (`ai-policy.yml line 8`): the file path of
 * a GitLab raw-file URL, else the URL's last path segment.
 */
function policyFileName(url: URL): string {
  const segments = url.pathname.split('/').filter(Boolean);
  const files = segments.lastIndexOf('files');
  const encoded = segments.at(-1) === 'raw' && files >= 0 && files === segments.length - 3 ? segments[files + 1] : segments.at(-1);
  try {
    return decodeURIComponent(encoded ?? '') || url.host;
  } catch {
    return encoded ?? url.host;
  }
}

function isGitLabFileJson(text: string): boolean {
  if (!text.trimStart().startsWith('{')) return false;
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    return typeof o['file_path'] === 'string' && typeof o['content'] === 'string' && typeof o['encoding'] === 'string';
  } catch {
    return false;
  }
}
