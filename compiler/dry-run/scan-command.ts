import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import type { CliIo } from '../../cli/io.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { describeSource } from '../../policy/describe-source.ts';
import { isProviderId, PROVIDER_IDS, type ProviderId } from '../../policy/providers.ts';
import { compilePolicy, type EffectivePolicy } from './effective-policy.ts';
import { formatScanCodeQuality } from './format-scan-codequality.ts';
import { formatScanJson } from './format-scan-json.ts';
import { formatScanJunit } from './format-scan-junit.ts';
import { formatScanMarkdown } from './format-scan-markdown.ts';
import { formatScanText } from './format-scan-text.ts';
import { listFiles } from './list-files.ts';
import { policyMode, POLICY_OPTIONS, readBundlePolicy, readOrgPolicy } from './load-policy.ts';
import { writeChunks } from './output-sink.ts';
import { policyView } from './policy-view.ts';
import { createProgress } from './progress.ts';
import { bundleConfigWarning, projectPath, readRootAiconfig } from './repo-files.ts';
import { autoJobs, scanInProcess, scanInWorkers } from './scan-pool.ts';
import { summarize, type FileResult, type ScanReport } from './scan-report.ts';
import { TreeGuard } from './tree-guard.ts';

const HELP = `usage: aigate dry-run scan [DIR] (--org-policy FILE|URL | --bundle FILE|URL --repo PATH [--trusted-key PUB...]) [options]

Applies the effective policy of the repository in DIR (default .) to its files, with the proxy's own
decide() and redactor: which files are excluded and by which rule, which are over the size limit,
and where secrets would be redacted (rule id, line, column, masked preview; never the secret).
In a git checkout the tracked files are scanned, otherwise every file of DIR.

  --org-policy FILE|URL compile DIR's .aiconfig with this org policy in-process
  --bundle FILE|URL     or: what a proxy enforces now, from a compiled bundle (needs --repo)
  --org-policy-token-env NAME, --bundle-token-env NAME
                        send the token in $NAME with that URL (see "aigate dry-run check --help")
  --repo PATH           project path (default $CI_PROJECT_PATH, else the directory name)
  --provider ID         decide for this provider (default: the first one the project allows)
  --format FORMAT       text (default), json, markdown, codequality (GitLab), junit (GitLab tests)
  --output FILE         write the report to FILE instead of stdout
  --codequality FILE    also write a GitLab Code Quality report
  --junit FILE          also write a JUnit report
  --fail-on WHAT        secrets (a secret would be redacted), excluded (a file is excluded, too
                        large or denied, or the whole repository is), never (default): exit 1
                        when it happens
  --jobs N              worker threads for large trees (default: auto)

exit codes: 0 ok, 1 --fail-on matched or the org policy is invalid, 2 usage error (also: the policy
cannot be read or fetched), 70 internal error
`;

const FORMATS = { text: formatScanText, json: formatScanJson, markdown: formatScanMarkdown, codequality: formatScanCodeQuality, junit: formatScanJunit } as const;

export const scanCommand: Command = async function scan(args, io) {
  const { values, positionals } = parseCommandArgs('dry-run scan', args, {
    ...POLICY_OPTIONS,
    provider: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    codequality: { type: 'string' },
    junit: { type: 'string' },
    'fail-on': { type: 'string' },
    jobs: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('dry-run scan', 'format', values.format, ['text', 'json', 'markdown', 'codequality', 'junit'], 'text');
  const failOn = oneOf('dry-run scan', 'fail-on', values['fail-on'], ['secrets', 'excluded', 'never'], 'never');
  const provider = values.provider;
  if (provider !== undefined && !isProviderId(provider)) throw new UsageError(`aigate dry-run scan: unknown provider "${provider}"`, `one of ${PROVIDER_IDS.join(', ')}`);
  if (positionals.length > 1) throw new UsageError('aigate dry-run scan: give one directory');
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) throw new UsageError(`aigate dry-run scan: ${positionals[0] ?? '.'} is not a directory`);
  const mode = policyMode('dry-run scan', values);

  const started = performance.now();
  const list = await listFiles(dir);
  const project = projectPath('dry-run scan', values.repo, io, list.root, mode === 'org');
  const local = await readRootAiconfig('dry-run scan', list.root);
  let policy: EffectivePolicy;
  const warnings: string[] = project.warning ? [project.warning] : [];
  if (mode === 'org') {
    const org = await readOrgPolicy('dry-run scan', values, io);
    policy = compilePolicy(org, project.path, local === undefined ? undefined : { file: '.aiconfig', text: local });
  } else {
    policy = await readBundlePolicy('dry-run scan', values, project.path, io);
    const warning = bundleConfigWarning(policy, local);
    if (warning) warnings.push(warning);
  }
  const view = policyView(policy, provider);
  const denial = view.decision.allow ? undefined : { reason: view.decision.reason, message: view.decision.message };

  const files = denial ? [] : await scanFiles(io, policy, view.provider, list.root, list.paths, jobsOption(values.jobs, list.paths.length));
  const report: ScanReport = {
    root: list.root,
    mode: list.mode,
    project: project.path,
    origin: policy.origin,
    provider: view.provider,
    allowedProviders: view.allowed,
    ...(denial ? { denial } : {}),
    maxFileSize: view.maxFileSize,
    maxFileSizeSource: view.maxFileSize === null ? undefined : describeSource(view.maxFileSizeSource),
    exclusions: view.ruleSet?.exclude.length ?? 0,
    rules: view.ruleSet?.rules.length ?? 0,
    warnings: [...warnings, ...policy.warnings],
    diagnostics: policy.diagnostics,
    files,
    elapsedMs: performance.now() - started,
  };

  await writeChunks(io, values.output, FORMATS[format](report));
  if (values.codequality) await writeChunks(io, values.codequality, formatScanCodeQuality(report));
  if (values.junit) await writeChunks(io, values.junit, formatScanJunit(report));

  const s = summarize(report);
  // A repository denied as a whole keeps every file from AI, though none was scanned one by one.
  const failed = (failOn === 'secrets' && s.redactions > 0) || (failOn === 'excluded' && (report.denial !== undefined || s.excluded + s.tooLarge + s.denied > 0));
  return failed ? EXIT.failed : EXIT.ok;
};

async function scanFiles(io: CliIo, policy: EffectivePolicy, provider: ProviderId, root: string, paths: readonly string[], jobs: number): Promise<FileResult[]> {
  const progress = createProgress(io, paths.length, 'aigate dry-run scan:');
  try {
    if (jobs <= 1) return scanInProcess({ policy, view: policyView(policy, provider), guard: new TreeGuard(root) }, paths, progress.tick);
    return await scanInWorkers({ payload: policy.bundle.payload, projectPath: policy.projectPath, now: policy.now, provider, root }, paths, jobs, progress.tick);
  } finally {
    progress.done();
  }
}

function jobsOption(value: string | undefined, files: number): number {
  if (value === undefined || value === 'auto') return autoJobs(files);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`aigate dry-run scan: --jobs must be auto or a number from 1 to 64 (got "${value}")`);
  return n;
}
