import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { compareFiles } from './diff-files.ts';
import { comparePolicies, sameRedaction, sideSummary, type DiffSide } from './diff-policy.ts';
import type { DiffReport } from './diff-report.ts';
import { verdictOf } from './diff-verdict.ts';
import { compilePolicy } from './effective-policy.ts';
import { formatDiffJson, formatDiffText } from './format-diff-text.ts';
import { formatDiffMarkdown } from './format-diff-markdown.ts';
import { gitTopLevel } from './git.ts';
import { listTree, pathChange, readAtCommit, resolveCommit } from './git-tree.ts';
import { POLICY_OPTIONS, readBundlePolicy, readOrgPolicy, rejectStrayTokenOptions } from './load-policy.ts';
import { writeChunks } from './output-sink.ts';
import { policyView } from './policy-view.ts';
import { projectPath } from './repo-files.ts';

const HELP = `usage: aigate dry-run diff --base REF [--head REF] --org-policy FILE|URL [options]
       aigate dry-run diff --bundle FILE|URL --repo PATH --org-policy FILE|URL [--head REF] [options]

Compares the effective policy at two commits of a checkout (.aiconfig as committed at each ref,
compiled with the same org policy) and shows what changes for the head tree's files: providers,
exclusions and redaction rules added or removed, files that become visible to AI or hidden,
secrets that would no longer be redacted, size limit and state changes.

With --bundle the base is what a proxy enforces now (that bundle's entry for --repo) and the head
is compiled in-process; that needs --org-policy too, because a bundle holds compiled results, not
the org and group settings a new .aiconfig must be compiled against.

  --base REF            base commit (in a merge request pipeline: $CI_MERGE_REQUEST_DIFF_BASE_SHA)
  --head REF            head commit (default HEAD)
  --dir DIR             the checkout (default .)
  --org-policy FILE|URL the org policy both sides are compiled with: a file, or a URL such as
                        $CI_API_V4_URL/projects/:id/repository/files/ai-policy.yml/raw?ref=main
  --org-policy-token-env NAME
                        send the token in $NAME with that URL (PRIVATE-TOKEN; JOB-TOKEN when NAME
                        is CI_JOB_TOKEN)
  --bundle FILE|URL     base = this bundle, e.g. https://aigate-compiler…/bundles/current (with
                        --trusted-key PUB to verify it)
  --bundle-token-env NAME
                        send the token in $NAME with the bundle URL (Authorization: Bearer)
  --repo PATH           project path (default $CI_PROJECT_PATH, else the directory name)
  --format FORMAT       text (default), json, markdown (a merge request comment)
  --output FILE         write the report to FILE instead of stdout
  --fail-on WHAT        loosening: exit 1 when the change exposes anything new; never (default)

exit codes: 0 ok, 1 loosening with --fail-on loosening (or an invalid org policy or bundle),
2 usage error (also: the org policy or bundle cannot be read or fetched), 70 internal error
`;

export const diffCommand: Command = async function diff(args, io) {
  const { values, positionals } = parseCommandArgs('dry-run diff', args, {
    ...POLICY_OPTIONS,
    base: { type: 'string' },
    head: { type: 'string' },
    dir: { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    'fail-on': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const command = 'dry-run diff';
  const format = oneOf(command, 'format', values.format, ['text', 'json', 'markdown'], 'text');
  const failOn = oneOf(command, 'fail-on', values['fail-on'], ['loosening', 'never'], 'never');
  if (positionals.length > 0) throw new UsageError(`aigate ${command}: unexpected argument "${positionals[0]}"`, 'the checkout is --dir DIR');
  const bundleMode = values.bundle !== undefined;
  rejectStrayTokenOptions(command, values);
  if (!values['org-policy']) throw new UsageError(`aigate ${command}: --org-policy FILE|URL is required`, bundleMode ? 'a bundle holds compiled results only; the head .aiconfig is compiled against the org policy' : undefined);
  if (bundleMode && values.base) throw new UsageError(`aigate ${command}: --base and --bundle are alternatives (with --bundle the base is what the bundle enforces)`);
  if (!bundleMode && !values.base) throw new UsageError(`aigate ${command}: --base REF is required (or --bundle FILE|URL to compare with what a proxy enforces)`);

  const dir = resolve(io.cwd, values.dir ?? '.');
  const root = await gitTopLevel(dir);
  if (!root) throw new UsageError(`aigate ${command}: ${values.dir ?? '.'} is not inside a git checkout`);
  const headRef = values.head ?? 'HEAD';
  const headCommit = await resolveCommit(command, root, headRef);
  const baseCommit = values.base ? await resolveCommit(command, root, values.base) : undefined;
  const project = projectPath(command, values.repo, io, root, !bundleMode);
  const org = await readOrgPolicy(command, values, io);
  const now = Date.now();

  const compileAt = async (commit: string) => {
    const text = await readAtCommit(root, commit, '.aiconfig');
    return compilePolicy(org, project.path, text === undefined ? undefined : { file: '.aiconfig', text }, now);
  };
  const headPolicy = await compileAt(headCommit);
  const basePolicy = baseCommit ? await compileAt(baseCommit) : await readBundlePolicy(command, values, project.path, io);
  const base: DiffSide = { label: baseCommit ? (values.base ?? '') : `bundle ${values.bundle}`, ...(baseCommit ? { commit: baseCommit } : {}), policy: basePolicy, view: policyView(basePolicy) };
  const head: DiffSide = { label: headRef, commit: headCommit, policy: headPolicy, view: policyView(headPolicy) };

  const policy = comparePolicies(base, head);
  const scanContents = base.view.decision.allow && head.view.decision.allow && !sameRedaction(base, head);
  const entries = await listTree(root, headCommit);
  const files = await compareFiles(root, entries, base, head, scanContents);
  const baseSummary = sideSummary(base);
  const headSummary = sideSummary(head);
  const found = { files: { total: entries.length, becomeVisible: files.becomeVisible, becomeHidden: files.becomeHidden }, secrets: { compared: scanContents, noLongerRedacted: files.noLongerRedacted, newlyRedacted: files.newlyRedacted } };
  const report: DiffReport = {
    project: project.path,
    aiconfigChange: baseCommit ? await pathChange(root, baseCommit, headCommit, '.aiconfig') : `head ${headSummary.aiconfig === 'missing' ? 'has no .aiconfig' : 'has an .aiconfig'}, compared with the bundle`,
    base: baseSummary,
    head: headSummary,
    policy,
    ...found,
    ...verdictOf(project.path, baseSummary, headSummary, policy, found),
    warnings: [...(project.warning ? [project.warning] : []), ...basePolicy.warnings.map((w) => `base: ${w}`)],
  };

  const render = { text: formatDiffText, json: formatDiffJson, markdown: formatDiffMarkdown }[format];
  await writeChunks(io, values.output, render(report));
  return failOn === 'loosening' && report.loosening.length > 0 ? EXIT.failed : EXIT.ok;
};
