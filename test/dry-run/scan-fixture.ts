import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AICONFIG, commitAll, gitRepo, ORG_POLICY, SECRETS, writeFiles } from './dry-run-fixture.ts';

/**
 * A repository with one of everything a scan reports: secrets for built-in and custom rules,
 * excluded files (holding a secret that must never be read), a file over the size limit, a binary,
 * a non-UTF-8 file, symlinks inside and out of the tree (one to a FIFO: opening it would hang).
 */
export function scanFixture(): { repo: string; org: string; outside: string } {
  const repo = gitRepo({
    '.aiconfig': AICONFIG,
    'src/config.ts': `export const a = 1;\nexport const token = "${SECRETS.gitlab}";\n`,
    'src/deploy.sh': `#!/bin/sh\nGITHUB_TOKEN=${SECRETS.github}\nexport AWS_ACCESS_KEY_ID=${SECRETS.aws}\n`,
    'src/.env.example': `WEBHOOK_URL = ${SECRETS.webhook}\nSLACK_TOKEN=${SECRETS.slack}\n`,
    'src/clean.ts': 'export const b = 2;\n',
    'db/schema.sql': `-- ${SECRETS.gitlab}\ncreate table t (id int);\n`,
    'migrations/001_init.rb': `# ${SECRETS.github}\n`,
    'certs/server.key': 'not a real key\n',
    'assets/big.txt': `${'x'.repeat(80)}\n`.repeat(100),
    'assets/logo.png': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), Buffer.from(SECRETS.slack)]),
    'legacy/latin1.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' menu\npassword = t0ps3cr3t-latin1\n')]),
  });
  const outsideDir = join(dirname(repo), 'outside');
  const outside = join(outsideDir, 'secret.txt');
  writeFiles(outsideDir, { 'secret.txt': `TOKEN=${SECRETS.gitlab}\n` });
  execFileSync('mkfifo', [join(outsideDir, 'fifo')]);
  symlinkSync('config.ts', join(repo, 'src/link-inside.ts'));
  symlinkSync(outside, join(repo, 'outside-link'));
  symlinkSync(join(outsideDir, 'fifo'), join(repo, 'outside-fifo'));
  symlinkSync('../outside', join(repo, 'outside-dir'));
  commitAll(repo, 'links');
  const org = join(dirname(repo), 'ai-policy.yml');
  writeFileSync(org, ORG_POLICY);
  return { repo, org, outside };
}
