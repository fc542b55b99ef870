import type { FakeGitLabFixtures } from '../fake-gitlab/fixture-types.ts';

/** Tokens with distinctive bodies, so a test can search every log line and record for them. */
export const TOKENS = {
  alice: 'glpat-AliceTokenDoNotLog00001',
  bob: 'glpat-BobTokenDoNotLog000002',
  gus: 'glpat-GusTokenDoNotLog000003',
  admin: 'glpat-AdminTokenDoNotLog0004',
  aliceReadRepo: 'glpat-AliceReadRepoOnly00005',
  aliceExpired: 'glpat-AliceExpiredToken00006',
} as const;

/** Secrets planted in repository files; none may come back through /api/context. */
export const SECRETS = {
  password: 'hunter2-Sup3rSecret',
  gitlabPat: 'glpat-Pl4ntedInConfigFile9x',
  clientSecret: 'CLIENT_SECRET=cs-0123456789abcdef',
} as const;

export const CONFIG_PY = `import os

DATABASE_HOST = "db.internal"
password = "${SECRETS.password}"
GITLAB_TOKEN = "${SECRETS.gitlabPat}"
${SECRETS.clientSecret}
`;

const SEED_AICONFIG = `ai_access:
  enabled: true
  allowed_providers: [anthropic, github]
  exclude:
    - "migrations/"
    - "*.sql"
    - "docs/architecture/security-design.md"
  redact_patterns:
    - "CLIENT_SECRET.*"
  max_file_size: 100kb
`;

/** The org policy of the data plane suites: the seed's security section. */
export const ORG_POLICY = `providers:
  anthropic: { enabled: true }
  openai: { enabled: true }
  github: { enabled: true }
  codeium: { enabled: false }
  gitlab-duo: { enabled: true }
blocked_repos: ["*/secrets-*", "compliance/*"]
require_config_file: true
exclude: [".env", "*.key"]
redaction_rules:
  - id: password-assignment
    pattern: "password.*=.*"
    replacement: "password=REDACTED"
max_file_size: 100kb
groups:
  - namespace: "payments/**"
    providers: [gitlab-duo]
`;

/** `.aiconfig` per project path (absent: the project has none). */
export const AICONFIGS: Readonly<Record<string, string>> = {
  'team/app': SEED_AICONFIG,
  'team/new-name': SEED_AICONFIG,
  'team/secrets-db': SEED_AICONFIG,
  'team/disabled': 'ai_access:\n  enabled: false\n',
  'team/broken': 'ai_access:\n  enabled: true\n  exclude: ["!keep.md"]\n',
  'payments/api': 'ai_access:\n  enabled: true\n',
  'labs/prototype': 'ai_access:\n  enabled: true\n',
  'oss/lib': 'ai_access:\n  enabled: true\n',
  'ops/secret-project': 'ai_access:\n  enabled: true\n',
};

const APP_FILES: Record<string, string> = {
  'README.md': '# app\n',
  'config.py': CONFIG_PY,
  'src/main.ts': 'export const main = () => 42;\n',
  'db/schema.sql': 'CREATE TABLE users (id int);\n',
  'migrations/001_init.rb': 'class Init; end\n',
  'docs/architecture/security-design.md': '# threat model\n',
  '.env': `SECRET=${SECRETS.password}\n`,
  'big.txt': `${'x'.repeat(99)}\n`.repeat(1500),
  'image.png': '\x89PNG\r\n\x1a\n\0\0\0\rIHDR',
  '.aiconfig': SEED_AICONFIG,
};

export const GITLAB_FIXTURES: FakeGitLabFixtures = {
  users: [
    { id: 1, username: 'alice', email: 'alice@example.com' },
    { id: 2, username: 'bob', email: 'bob@example.com' },
    { id: 3, username: 'gus', email: 'gus@example.com' },
    { id: 4, username: 'root', email: 'root@example.com', admin: true },
  ],
  tokens: [
    { value: TOKENS.alice, kind: 'pat', user: 'alice', scopes: ['api'] },
    { value: TOKENS.bob, kind: 'pat', user: 'bob', scopes: ['api'] },
    { value: TOKENS.gus, kind: 'pat', user: 'gus', scopes: ['read_api'] },
    { value: TOKENS.admin, kind: 'pat', user: 'root', scopes: ['api'] },
    { value: TOKENS.aliceReadRepo, kind: 'pat', user: 'alice', scopes: ['read_repository'] },
    { value: TOKENS.aliceExpired, kind: 'pat', user: 'alice', scopes: ['api'], expires_at: '2020-01-01' },
  ],
  groups: [
    { id: 100, path: 'team', visibility: 'private', members: [{ user: 'alice', access_level: 30 }] },
    { id: 101, path: 'payments', visibility: 'private', members: [{ user: 'alice', access_level: 30 }] },
    { id: 102, path: 'labs', visibility: 'private' },
    { id: 103, path: 'ops', visibility: 'private' },
    { id: 104, path: 'oss', visibility: 'public' },
  ],
  projects: [
    { id: 10, path: 'team/app', visibility: 'private', files: APP_FILES },
    { id: 12, path: 'team/secrets-db', visibility: 'private', files: { 'README.md': 'x\n' } },
    { id: 14, path: 'team/new-name', visibility: 'private', files: { 'README.md': 'renamed\n' }, redirects: ['team/old-name'] },
    { id: 15, path: 'team/no-config', visibility: 'private', files: { 'README.md': 'x\n' } },
    { id: 16, path: 'team/disabled', visibility: 'private', files: { 'README.md': 'x\n' } },
    { id: 17, path: 'team/broken', visibility: 'private', files: { 'README.md': 'x\n' } },
    { id: 18, path: 'payments/api', visibility: 'private', files: { 'README.md': 'x\n' } },
    { id: 20, path: 'labs/prototype', visibility: 'private', members: [{ user: 'gus', access_level: 10 }, { user: 'alice', access_level: 20 }], files: { 'README.md': 'prototype\n' } },
    { id: 21, path: 'oss/lib', visibility: 'public', files: { 'README.md': 'public\n' } },
    { id: 30, path: 'ops/secret-project', visibility: 'private', files: { 'README.md': 'secret\n', 'config.py': CONFIG_PY } },
  ],
};
