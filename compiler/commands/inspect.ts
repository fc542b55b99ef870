import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { ExitError, UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import type { BundlePayloadV1, ProjectEntryV1 } from '../../policy/bundle-types.ts';
import { describeSource } from '../../policy/describe-source.ts';
import { formatSize } from '../../policy/size.ts';
import { readBundleFile } from './read-bundle.ts';
import { readTrustedKeys } from './signing-keys.ts';

const HELP = `usage: aigate inspect BUNDLE --repo PATH [--trusted-key PUB...] [--format text|json]

Shows the effective policy of one project as the bundle says it: state, providers, exclusions and
redaction rules with where each is written, size and rate limits.
`;

export const inspectCommand: Command = async function inspect(args, io) {
  const { values, positionals } = parseCommandArgs('inspect', args, {
    repo: { type: 'string' },
    'trusted-key': { type: 'string', multiple: true },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('inspect', 'format', values.format, ['text', 'json'], 'text');
  const [file] = positionals;
  if (!file || !values.repo) throw new UsageError('aigate inspect: give a bundle file and --repo group/project');
  const trusted = await readTrustedKeys('inspect', (values['trusted-key'] ?? []).map((k) => resolve(io.cwd, k)));
  const { payload, keyid } = await readBundleFile('inspect', resolve(io.cwd, file), trusted, { allowExpired: true });
  const wanted = values.repo.toLowerCase();
  const found = Object.entries(payload.projects).find(([, e]) => e.path.toLowerCase() === wanted);
  if (!found) throw new ExitError(EXIT.failed, `aigate inspect: ${values.repo} is not in bundle serial ${payload.serial}${payload.org.require_config_file ? ' (require_config_file: it is denied)' : ''}`);
  const [id, entry] = found;
  const view = effectiveView(payload, id, entry);
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ serial: payload.serial, verified_by: keyid ?? null, ...view }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [
    `${entry.path} (project ${id}) in bundle serial ${payload.serial}, ${keyid ? `verified by ${keyid}` : 'NOT VERIFIED (pass --trusted-key to check the signature)'}`,
    `  state        ${entry.state}${entry.reason ? ` (${entry.reason}${entry.reason_detail ? `: ${entry.reason_detail}` : ''}${entry.reason_source ? `, ${describeSource(entry.reason_source)}` : ''})` : ''}`,
    `  providers    ${entry.providers.join(', ') || 'none'}${entry.providers_source ? ` (narrowed by ${describeSource(entry.providers_source)})` : ''}`,
    `  groups       ${view.groups.map((g) => `${g.namespace} (${g.source})`).join(', ') || 'none'}`,
    `  max size     ${entry.max_file_size === null ? 'no limit' : `${formatSize(entry.max_file_size)} (${describeSource(entry.max_file_size_source)})`}`,
    `  rate limits  ${entry.rate_limits.per_user ?? 'unlimited'}/h per user, ${entry.rate_limits.per_repo ?? 'unlimited'}/h per repo${entry.rate_limits.strict ? ', strict' : ''}`,
    `  source       ${entry.config ? [entry.config.file, entry.config.commit, entry.config.blob].filter(Boolean).join(' ') : 'no .aiconfig'}`,
  ];
  if (view.exclude.length > 0 || entry.state === 'active') {
    lines.push(`  exclusions (${view.exclude.length})`);
    const width = Math.max(0, ...view.exclude.map((e) => e.glob.length));
    for (const e of view.exclude) lines.push(`    ${e.glob.padEnd(width)}  ${e.source}`);
    lines.push(`  redaction rules (${view.rules.length})`);
    const idWidth = Math.max(0, ...view.rules.map((r) => r.id.length));
    for (const r of view.rules) lines.push(`    ${r.id.padEnd(idWidth)}  ${r.source}${r.description ? `  ${r.description}` : ''}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
};

function effectiveView(payload: BundlePayloadV1, id: string, entry: ProjectEntryV1) {
  const set = entry.rule_set ? payload.rule_sets[entry.rule_set] : undefined;
  return {
    id,
    ...entry,
    groups: entry.groups.map((g) => ({ namespace: payload.org.groups[g]?.namespace ?? '?', source: describeSource(payload.org.groups[g]?.source) })),
    exclude: (set?.exclude ?? []).map((e) => ({ glob: e.glob, source: describeSource(e.source) })),
    rules: (set?.redaction ?? []).map((key) => {
      const rule = payload.redaction_rules[key];
      return { id: rule?.id ?? key, source: describeSource(rule?.source), description: rule?.description };
    }),
  };
}
