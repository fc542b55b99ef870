import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { parseDuration } from '../../policy/duration.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { compileBundle } from '../compile/compile-bundle.ts';
import { sortDiagnostics } from '../diagnostics.ts';
import { loadOrgPolicy, loadRepoPolicy } from '../load/load-policies.ts';
import { readProjectsManifest } from '../load/projects-manifest.ts';
import type { RepoInput } from '../merge/merge-project.ts';
import { atomicWrite } from '../publish/atomic-write.ts';
import { formatText } from '../report/format-text.ts';
import { nextSerial } from '../state/serial-store.ts';
import { summarizeBundle } from './bundle-summary.ts';
import { readSigningKeys } from './signing-keys.ts';

const HELP = `usage: aigate compile --org-policy FILE --projects MANIFEST [options]

Compiles the org policy and every project's .aiconfig into a signed bundle.

  --org-policy FILE     the organisation policy (ai-policy.yml)
  --projects MANIFEST   YAML/JSON: projects: [{id, path, aiconfig: FILE|none, commit?, blob?}]
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
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('compile', 'format', values.format, ['text', 'json'], 'text');
  if (!values['org-policy'] || !values.projects) throw new UsageError('aigate compile: --org-policy and --projects are required', 'run "aigate compile --help"');
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

  const manifest = await readProjectsManifest(at(values.projects));
  const invalid: string[] = [];
  const projects: { id: number; path: string; input: RepoInput }[] = [];
  for (const project of manifest) {
    let input: RepoInput = { kind: 'none' };
    if (project.aiconfig) {
      const meta = { ...(project.commit ? { commit: project.commit } : {}), ...(project.blob ? { blob: project.blob } : {}) };
      const text = await readFile(project.aiconfig, 'utf8').catch(() => undefined);
      input =
        text === undefined
          ? { kind: 'invalid', file: '.aiconfig', diagnostics: [{ code: 'file_unreadable', severity: 'error', file: '.aiconfig', pointer: '', line: 1, column: 1, message: `cannot read ${project.aiconfig}` }], ...meta }
          : loadRepoPolicy('.aiconfig', text, loaded.value, meta).input;
      if (input.kind === 'invalid') invalid.push(`${project.path}: ${input.diagnostics.find((d) => d.severity === 'error')?.message ?? 'invalid'}`);
    }
    projects.push({ id: project.id, path: project.path, input });
  }

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

  const summary = { ...summarizeBundle(payload), file: out, bytes: Buffer.byteLength(text), signed_by: signers.map((s) => s.keyid), invalid_configs: invalid };
  if (format === 'json') io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  else {
    io.stdout(`wrote ${out}: serial ${payload.serial}, ${summary.projects.total} projects (${Object.entries(summary.projects.by_state).map(([s, n]) => `${n} ${s}`).join(', ')}), ${summary.rule_sets} rule sets, ${summary.redaction_rules} rules, ${summary.bytes} bytes, ${signers.length ? `signed by ${signers.map((s) => s.keyid).join(', ')}` : 'UNSIGNED'}, expires ${payload.expires_at}\n`);
    for (const line of invalid) io.stdout(`warning: invalid .aiconfig (denied until fixed) ${line}\n`);
  }
  return EXIT.ok;
};
