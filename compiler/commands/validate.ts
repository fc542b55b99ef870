import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.ts';
import { findPolicyFiles, kindFromName } from '../load/find-policy-files.ts';
import { formatCodeQuality } from '../report/format-codequality.ts';
import { formatJson } from '../report/format-json.ts';
import { formatText } from '../report/format-text.ts';
import type { ValidationReport } from '../report/validation-report.ts';
import type { PolicyKind } from '../validate/schema-registry.ts';
import { validatePolicy } from '../validate/validate-policy.ts';

const HELP = `usage: aigate validate [paths...] [options]

Checks .aiconfig and org policy files: YAML syntax and duplicate keys, the JSON Schema (every
error), and semantic rules (RE2-safe patterns, globs, sizes, providers). Directories are searched
for .aiconfig, *.aiconfig and ai-policy.yml files. Without paths: ./.aiconfig.

options:
  --kind aiconfig|org-policy   the kind of every file whose name does not say it
  --org-policy FILE            cross-check .aiconfig files against this org policy
  --format text|json|codequality
  --output FILE                write the report to FILE instead of stdout
  --codequality FILE           also write a GitLab Code Quality report to FILE
  --strict                     warnings fail too (exit 1)

exit codes: 0 valid, 1 invalid, 2 usage error, 70 internal error
`;

export const validateCommand: Command = async function validate(args, io) {
  const { values, positionals } = parseCommandArgs('validate', args, {
    kind: { type: 'string' },
    'org-policy': { type: 'string' },
    format: { type: 'string' },
    output: { type: 'string' },
    codequality: { type: 'string' },
    strict: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('validate', 'format', values.format, ['text', 'json', 'codequality'], 'text');
  const kindOption = values.kind === undefined ? undefined : oneOf('validate', 'kind', values.kind, ['aiconfig', 'org-policy'], 'aiconfig');
  const at = (p: string) => resolve(io.cwd, p);

  const paths = positionals.length > 0 ? positionals : ['.aiconfig'];
  const files = await findPolicyFiles(paths, io.cwd);
  if (files.length === 0) throw new UsageError(`aigate validate: no policy files found in ${paths.join(', ')}`, 'name files .aiconfig, *.aiconfig or ai-policy.yml, or pass them explicitly');

  const texts = new Map<string, string>();
  const display = (file: string) => displayPath(file, io.cwd);
  const load = async (file: string) => {
    const text = await readFile(file, 'utf8').catch(() => {
      throw new UsageError(`aigate validate: cannot read "${display(file)}"`);
    });
    texts.set(display(file), text);
    return text;
  };

  const diagnostics: Diagnostic[] = [];
  const reportFiles: ValidationReport['files'][number][] = [];
  let org: unknown;
  const orgFile = values['org-policy'] === undefined ? undefined : at(values['org-policy']);
  if (orgFile) {
    const result = validatePolicy('org-policy', display(orgFile), await load(orgFile));
    org = result.source?.value;
    diagnostics.push(...result.diagnostics);
    reportFiles.push({ file: display(orgFile), kind: 'org-policy', valid: result.valid });
  }
  for (const file of files) {
    if (file === orgFile) continue;
    const kind: PolicyKind | undefined = kindFromName(file) ?? kindOption;
    if (!kind) throw new UsageError(`aigate validate: cannot tell whether "${display(file)}" is an .aiconfig or an org policy`, 'pass --kind aiconfig or --kind org-policy');
    const result = validatePolicy(kind, display(file), await load(file), { org });
    diagnostics.push(...result.diagnostics);
    reportFiles.push({ file: display(file), kind, valid: result.valid });
  }

  const report: ValidationReport = { files: reportFiles, diagnostics: sortDiagnostics(diagnostics), texts };
  const render = { text: () => formatText(report, io.isTty && !values.output), json: () => formatJson(report), codequality: () => formatCodeQuality(report, io.cwd) }[format];
  if (values.output) await writeFile(at(values.output), render());
  else io.stdout(render());
  if (values.codequality) await writeFile(at(values.codequality), formatCodeQuality(report, io.cwd));

  const failed = report.diagnostics.some((d) => d.severity === 'error' || (values.strict && d.severity === 'warning'));
  return failed ? EXIT.failed : EXIT.ok;
};

/** Paths as the user wrote them relative to the working directory, so editors can jump to them. */
function displayPath(file: string, cwd: string): string {
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}
