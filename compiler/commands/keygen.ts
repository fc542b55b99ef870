import { access, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { parseCommandArgs } from '../../cli/parse-args.ts';
import { generateSigningKeyPair } from '../../policy/keys.ts';

const HELP = `usage: aigate keygen [--out PREFIX] [--force]

Creates an Ed25519 signing key pair for bundles: PREFIX.key (private, mode 0600) and PREFIX.pub
(give this one to every proxy as a trusted key). PREFIX defaults to "aigate-signing".
`;

export const keygenCommand: Command = async function keygen(args, io) {
  const { values } = parseCommandArgs('keygen', args, { out: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const prefix = resolve(io.cwd, values.out ?? 'aigate-signing');
  const privateFile = `${prefix}.key`;
  const publicFile = `${prefix}.pub`;
  if (!values.force) {
    for (const file of [privateFile, publicFile]) {
      if (await access(file).then(() => true, () => false)) throw new UsageError(`aigate keygen: ${file} exists`, 'pass --force to replace it (proxies trusting the old key will refuse new bundles)');
    }
  }
  const pair = generateSigningKeyPair();
  await writeFile(privateFile, pair.privateKeyPem, { mode: 0o600 });
  await writeFile(publicFile, pair.publicKeyPem, { mode: 0o644 });
  io.stdout(`keyid ${pair.keyid}\nprivate key ${privateFile} (keep it secret; CI: a masked AIGATE_SIGNING_KEY variable)\npublic key  ${publicFile} (configure it as a trusted key on every proxy)\n`);
  return EXIT.ok;
};
