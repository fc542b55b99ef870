import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from '../../cli/command.ts';
import { EXIT } from '../../cli/exit-codes.ts';
import { UsageError } from '../../cli/exit-error.ts';
import { oneOf, parseCommandArgs } from '../../cli/parse-args.ts';
import { decide } from '../../policy/decide.ts';
import { isProviderId, PROVIDER_IDS } from '../../policy/providers.ts';
import { parseSize } from '../../policy/size.ts';
import { compilePolicy, type EffectivePolicy } from './effective-policy.ts';
import { formatCheckJson, formatCheckText } from './format-check.ts';
import { policyMode, POLICY_OPTIONS, readBundlePolicy, readOrgPolicy } from './load-policy.ts';
import { policyView } from './policy-view.ts';

const HELP = `usage: aigate dry-run check --repo GROUP/PROJECT --provider PROVIDER [--file PATH] [--size BYTES]
         (--bundle FILE|URL [--trusted-key PUB...] | --org-policy FILE|URL [--aiconfig FILE]) [--format text|json]

Asks the policy decision the proxy makes (the same decide()) for one request and prints allow or
deny, the reason code and the rule that decided it with its file and line.

  --repo PATH          the project path as GitLab resolves it (group/subgroup/project)
  --provider ID        ${PROVIDER_IDS.join(', ')}
  --file PATH          a repository file the assistant wants to send
  --size BYTES         its size (100kb, 2MiB and plain bytes work)
  --bundle FILE|URL    a compiled bundle (what the proxy enforces), e.g. the compiler service's
                       https://…/bundles/current; --trusted-key checks its signature
  --org-policy FILE|URL
                       compile in-process instead: the org policy (a file, or e.g. GitLab's
                       …/api/v4/projects/:id/repository/files/ai-policy.yml/raw?ref=main), and
                       with --aiconfig FILE the project's .aiconfig (without it the project has none)
  --org-policy-token-env NAME
                       send the token in $NAME with the org policy URL (PRIVATE-TOKEN; JOB-TOKEN
                       when NAME is CI_JOB_TOKEN)
  --bundle-token-env NAME
                       send the token in $NAME with the bundle URL (Authorization: Bearer)

exit codes: 0 allowed, 1 denied, 2 usage error (also: the policy cannot be read or fetched),
70 internal error
`;

export const checkCommand: Command = async function check(args, io) {
  const { values } = parseCommandArgs('dry-run check', args, {
    ...POLICY_OPTIONS,
    aiconfig: { type: 'string' },
    provider: { type: 'string' },
    file: { type: 'string' },
    size: { type: 'string' },
    format: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const format = oneOf('dry-run check', 'format', values.format, ['text', 'json'], 'text');
  const repo = values.repo;
  if (!repo) throw new UsageError('aigate dry-run check: --repo group/project is required');
  const provider = values.provider;
  if (!provider) throw new UsageError('aigate dry-run check: --provider is required', `one of ${PROVIDER_IDS.join(', ')}`);
  if (!isProviderId(provider)) throw new UsageError(`aigate dry-run check: unknown provider "${provider}"`, `one of ${PROVIDER_IDS.join(', ')}`);
  const size = values.size === undefined ? undefined : parseSize(values.size);
  if (values.size !== undefined && size === undefined) throw new UsageError(`aigate dry-run check: --size must be bytes or a size like 100kb (got "${values.size}")`);
  const mode = policyMode('dry-run check', values);
  if (mode === 'bundle' && values.aiconfig) throw new UsageError('aigate dry-run check: --aiconfig needs --org-policy (a bundle already holds the compiled .aiconfig)');

  let policy: EffectivePolicy;
  if (mode === 'bundle') {
    policy = await readBundlePolicy('dry-run check', values, repo, io);
  } else {
    const org = await readOrgPolicy('dry-run check', values, io);
    const file = values.aiconfig;
    const aiconfig = file === undefined ? undefined : { file, text: await readFile(resolve(io.cwd, file), 'utf8').catch(() => { throw new UsageError(`aigate dry-run check: cannot read "${file}"`); }) };
    policy = compilePolicy(org, repo, aiconfig);
  }

  const decision = decide(policy.bundle, { project: { path: repo }, provider, ...(values.file !== undefined ? { file: values.file } : {}), ...(size !== undefined ? { size } : {}), now: policy.now });
  const result = { policy, view: policyView(policy, provider), decision, request: { repo, provider, file: values.file, size } };
  io.stdout(format === 'json' ? formatCheckJson(result) : formatCheckText(result));
  return decision.allow ? EXIT.ok : EXIT.failed;
};
