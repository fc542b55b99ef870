import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { parseDuration } from '../../policy/duration.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { compileBundle } from '../compile/compile-bundle.ts';
import { sortDiagnostics } from '../diagnostics.ts';
import { loadOrgPolicy } from '../load/load-policies.ts';
import type { RepoInput } from '../merge/merge-project.ts';
import { createGitLabClient } from '../gitlab/gitlab-client.ts';
import { gitlabAccess, type GitLabAccess } from '../gitlab/gitlab-access.ts';
import { GitLabError } from '../gitlab/gitlab-error.ts';
import { projectsFromGitLab } from '../gitlab/projects-from-gitlab.ts';
import { atomicWrite } from '../publish/atomic-write.ts';
import { openPublisher } from '../publish/bundle-publisher.ts';
import { uploadBundlePackage } from '../publish/upload-package.ts';
import { projectsFromManifest } from './projects-from-manifest.ts';
import { formatText } from '../report/format-text.ts';
import { nextSerial } from '../state/serial-store.ts';
import { summarizeBundle } from './bundle-summary.ts';
import { readSigningKeys } from './signing-keys.ts';

const HELP = `usage: aigate compile --org-policy FILE --projects MANIFEST [options]
       aigate compile --org-policy FILE --from-gitlab [--gitlab URL] [--group PATH] [options]

Compiles the org policy and every project's .aiconfig into a signed bundle.

  --org-policy FILE     the organisation policy (ai-policy.yml)
  --projects MANIFEST   YAML/JSON: projects: [{id, path, aiconfig: FILE|none, commit?, blob?}]
  --from-gitlab         list the projects (archived ones excluded) and read their .aiconfig from GitLab
  --gitlab URL          GitLab base URL (default $CI_SERVER_URL)
  --token-env NAME      variable holding a read_api token that can read every project
                        (default AIGATE_GITLAB_TOKEN)
  --group PATH          only projects below this group
  --cache FILE          blob ids and results of the previous run, reused when unchanged
                        (default .aigate-state/gitlab-projects.json)
  --publish-dir DIR     also publish: DIR/current.json (atomic) and DIR/versions/<serial>.json
  --upload-package PROJECT  also upload to PROJECT's generic package registry
                        (aigate-bundle/<serial>/bundle.json and aigate-bundle/current/bundle.json)
  --key FILE            Ed25519 private key (repeatable); default: $AIGATE_SIGNING_KEY
  --key-env NAME        environment variable holding the key (default AIGATE_SIGNING_KEY)
  --unsigned            write the bundle without a signature (proxies will refuse it; for inspection)
  --expires-in DURATION how long the bundle is valid: 90m, 24h, 7d (default 7d)
  --out FILE            where to write the bundle (default bundle.json)
  --state FILE          serial state file (default .aigate-state/compiler.json)
  --policy-repo PATH, --commit SHA   recorded as the issuer
  --format text|json    summary format

exit codes: 0 compiled, 1 the org policy is invalid, 2 usage error, 70 internal error
`;

export const compileCommand: Command = async function compile(args, io) {
  const { values } = parseCommandArgs('compile', args, {
    'org-policy': { type: 'string' },
    projects: { type: 'string' },
    key: { type: 'string', multiple: true },
    'key-env': { type: 'string' },
    unsigned: { type: 'boolean' },
    'expires-in': { type: 'string' },
    out: { type: 'string' },
    state: { type: 'string' },
    'policy-repo': { type: 'string' },
    commit: { type: 'string' },
    format: { type: 'string' },
    'from-gitlab': { type: 'boolean' },
    gitlab: { type: 'string' },
    'token-env': { type: 'string' },
    group: { type: 'string' },
    cache: { type: 'string' },
    'publish-dir': { type: 'string' },
    'upload-package': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('compile', 'format', values.format, ['text', 'json'], 'text');
  const fromGitLab = values['from-gitlab'] === true;
  if (!values['org-policy'] || (!values.projects && !fromGitLab)) throw new UsageError('aigate compile: --org-policy and one of --projects or --from-gitlab are required', 'run "aigate compile --help"');
  if (values.projects && fromGitLab) throw new UsageError('aigate compile: --projects and --from-gitlab are alternatives');
  const gitlab = fromGitLab || values['upload-package'] ? gitlabAccess(values.gitlab, values['token-env'], io.env) : undefined;
  const expiresIn = parseDuration(values['expires-in'] ?? '7d');
  if (expiresIn === undefined) throw new UsageError(`aigate compile: --expires-in must be a duration like 24h or 7d (got "${values['expires-in']}")`);
  const at = (p: string) => resolve(io.cwd, p);
  const signers = values.unsigned ? [] : await readSigningKeys('compile', (values.key ?? []).map(at), values['key-env'] ?? 'AIGATE_SIGNING_KEY', io.env);
  if (!values.unsigned && signers.length === 0) throw new UsageError('aigate compile: no signing key', 'pass --key FILE, set AIGATE_SIGNING_KEY, or --unsigned for a bundle no proxy will accept');

  const orgFile = values['org-policy'];
  const orgText = await readFile(at(orgFile), 'utf8').catch(() => {
    throw new UsageError(`aigate compile: cannot read "${orgFile}"`);
  });
  const loaded = loadOrgPolicy(orgFile, orgText);
  if (!loaded.org) {
    io.stderr(formatText({ files: [{ file: orgFile, kind: 'org-policy', valid: false }], diagnostics: sortDiagnostics(loaded.diagnostics), texts: new Map([[orgFile, orgText]]) }, io.isTty));
    io.stderr('aigate compile: the org policy is invalid; no bundle was written\n');
    return EXIT.failed;
  }

  let projects: { id: number; path: string; input: RepoInput }[];
  let fetched = '';
  if (gitlab && fromGitLab) {
    const result = await gitlabStep(() => projectsFromGitLab({ ...gitlab, ...(values.group ? { group: values.group } : {}), cacheFile: at(values.cache ?? '.aigate-state/gitlab-projects.json') }, loaded, orgText));
    projects = result.projects;
    const s = result.stats;
    fetched = `from GitLab: ${s.listed} projects listed, ${s.fetched} .aiconfig fetched, ${s.reused} reused, ${s.revalidated} re-validated, ${s.removed} dropped; ${s.requests.requests} requests (${s.requests.rateLimited} rate-limited)\n`;
  } else {
    projects = await projectsFromManifest(at(values.projects ?? ''), loaded.value);
  }
  const invalid = projects.flatMap((p) => (p.input.kind === 'invalid' ? [`${p.path}: ${p.input.diagnostics.find((d) => d.severity === 'error')?.message ?? 'invalid'}`] : []));

  const now = new Date();
  const payload = compileBundle({
    org: loaded.org,
    projects,
    serial: await nextSerial(at(values.state ?? '.aigate-state/compiler.json'), now.getTime()),
    issuedAt: now,
    expiresAt: new Date(now.getTime() + expiresIn),
    issuer: { ...(values['policy-repo'] ? { policyRepo: values['policy-repo'] } : {}), ...(values.commit ? { commit: values.commit } : {}) },
  });
  const envelope = signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(payload), signers);
  const text = `${JSON.stringify(envelope)}\n`;
  const out = values.out ?? 'bundle.json';
  await atomicWrite(at(out), text);
  if (values['publish-dir']) await (await openPublisher(at(values['publish-dir']))).publish(text, payload.serial);
  const uploaded = gitlab && values['upload-package'] ? await gitlabStep(() => uploadWith(gitlab, values['upload-package'] ?? '', text, payload.serial), `${out} was written but not uploaded`) : [];

  const summary = { ...summarizeBundle(payload), file: out, bytes: Buffer.byteLength(text), signed_by: signers.map((s) => s.keyid), invalid_configs: invalid };
  if (format === 'json') io.stdout(`${JSON.stringify({ ...summary, uploaded }, null, 2)}\n`);
  else {
    io.stdout(fetched);
    for (const url of uploaded) io.stdout(`uploaded ${url}\n`);
    io.stdout(`wrote ${out}: serial ${payload.serial}, ${summary.projects.total} projects (${Object.entries(summary.projects.by_state).map(([s, n]) => `${n} ${s}`).join(', ')}), ${summary.rule_sets} rule sets, ${summary.redaction_rules} rules, ${summary.bytes} bytes, ${signers.length ? `signed by ${signers.map((s) => s.keyid).join(', ')}` : 'UNSIGNED'}, expires ${payload.expires_at}\n`);
    for (const line of invalid) io.stdout(`warning: invalid .aiconfig (denied until fixed) ${line}\n`);
  }
  return EXIT.ok;
};

async function uploadWith(gitlab: GitLabAccess, project: string, text: string, serial: number): Promise<string[]> {
  const client = createGitLabClient(gitlab);
  try {
    return await uploadBundlePackage(client, { project, name: 'aigate-bundle' }, text, serial);
  } finally {
    await client.close();
  }
}

/** A GitLab failure is the environment's, not a bug: exit 1 with the code and the call that failed. */
async function gitlabStep<T>(step: () => Promise<T>, outcome = 'no bundle was written'): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof GitLabError) throw new ExitError(EXIT.failed, `aigate compile: ${error.code}: ${error.message}; ${outcome}`);
    throw error;
  }
}
