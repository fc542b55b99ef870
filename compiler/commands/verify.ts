import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { summarizeBundle } from './bundle-summary.ts';
import { readBundleFile } from './read-bundle.ts';
import { readTrustedKeys } from './signing-keys.ts';

const HELP = `usage: aigate verify BUNDLE --trusted-key PUB [--trusted-key PUB...] [--min-serial N] [--format text|json]

Checks a bundle the way a proxy does before enforcing it: a signature by one of the trusted keys,
canonical payload, schema, not expired, and (with --min-serial) a serial above N.
exit codes: 0 valid, 1 invalid, 2 usage error
`;

export const verifyCommand: Command = async function verify(args, io) {
  const { values, positionals } = parseCommandArgs('verify', args, {
    'trusted-key': { type: 'string', multiple: true },
    'min-serial': { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('verify', 'format', values.format, ['text', 'json'], 'text');
  const [file] = positionals;
  if (!file || positionals.length > 1) throw new UsageError('aigate verify: give exactly one bundle file', 'aigate verify bundle.json --trusted-key aigate-signing.pub');
  const keys = values['trusted-key'] ?? [];
  if (keys.length === 0) throw new UsageError('aigate verify: at least one --trusted-key is required');
  const minSerial = values['min-serial'] === undefined ? undefined : Number(values['min-serial']);
  if (minSerial !== undefined && !Number.isSafeInteger(minSerial)) throw new UsageError('aigate verify: --min-serial must be an integer');

  const trusted = await readTrustedKeys('verify', keys.map((k) => resolve(io.cwd, k)));
  const bundle = await readBundleFile('verify', resolve(io.cwd, file), trusted, { allowExpired: false, ...(minSerial !== undefined ? { minSerialExclusive: minSerial } : {}) });
  const summary = { valid: true, signed_by: bundle.keyid, ...summarizeBundle(bundle.payload) };
  if (format === 'json') {
    io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
  } else {
    const issuer = [summary.issuer.policy_repo, summary.issuer.commit, summary.issuer.file].filter(Boolean).join(' ');
    io.stdout(
      [
        `valid bundle ${file}`,
        `  serial     ${summary.serial}`,
        `  signed by  ${summary.signed_by}`,
        `  issuer     ${issuer} (${summary.issuer.compiler})`,
        `  issued     ${summary.issued_at}`,
        `  expires    ${summary.expires_at}`,
        `  projects   ${summary.projects.total} (${Object.entries(summary.projects.by_state).map(([s, n]) => `${n} ${s}`).join(', ') || 'none'})`,
        `  rule sets  ${summary.rule_sets}, redaction rules ${summary.redaction_rules}`,
        `  providers  ${summary.providers.join(', ') || 'none'}`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
};
