import { compileBundle } from '../../compiler/compile/compile-bundle.ts';
import { loadOrgPolicy, loadRepoPolicy } from '../../compiler/load/load-policies.ts';
import type { RepoInput } from '../../compiler/merge/merge-project.ts';
import { activateBundle, type ActiveBundle } from '../../policy/active-bundle.ts';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';

export interface FixtureProject {
  readonly id: number;
  readonly path: string;
  /** `.aiconfig` text, or undefined for a project without one. */
  readonly aiconfig?: string;
}

/** Compiles YAML fixtures into a bundle payload; throws if the org policy itself is invalid. */
export function compileFixture(orgYaml: string, projects: readonly FixtureProject[], options: { serial?: number; now?: number; ttlMs?: number } = {}): BundlePayloadV1 {
  const loaded = loadOrgPolicy('ai-policy.yml', orgYaml);
  if (!loaded.org) throw new Error(`fixture org policy is invalid: ${loaded.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
  const now = options.now ?? Date.now();
  return compileBundle({
    org: loaded.org,
    projects: projects.map((p) => ({ id: p.id, path: p.path, input: p.aiconfig === undefined ? ({ kind: 'none' } as RepoInput) : loadRepoPolicy('.aiconfig', p.aiconfig, loaded.value).input })),
    serial: options.serial ?? 1,
    issuedAt: new Date(now),
    expiresAt: new Date(now + (options.ttlMs ?? 3_600_000)),
  });
}

export function activeFixture(orgYaml: string, projects: readonly FixtureProject[], options: { serial?: number; now?: number; ttlMs?: number } = {}): ActiveBundle {
  return activateBundle(compileFixture(orgYaml, projects, options));
}

/** The example org policy's shape, small enough to read in a test. */
export const ORG_YAML = `
providers:
  anthropic: { enabled: true }
  openai: { enabled: true }
  github: { enabled: true }
  codeium: { enabled: false }
  gitlab-duo: { enabled: true }
blocked_repos: ["*/secrets-*", "compliance/*"]
exclude: [".env", "*.key"]
redaction_rules:
  - id: password-assignment
    pattern: "password.*=.*"
    replacement: "password=REDACTED"
max_file_size: 100kb
rate_limits: { per_user: 100, per_repo: 500 }
groups:
  - namespace: "payments/**"
    providers: [gitlab-duo]
    exclude: ["**/cardholder-data/**"]
    max_file_size: 64kb
`;

export const SEED_AICONFIG = `ai_access:
  enabled: true
  allowed_providers:
    - anthropic
    - github
  exclude:
    - "migrations/"
    - "*.sql"
    - "docs/architecture/security-design.md"
  redact_patterns:
    - "CLIENT_SECRET.*"
`;
