import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../policy/canonical-json.ts';
import { generateSigningKeyPair, parsePrivateKey } from '../../policy/keys.ts';
import { ORG_YAML, SEED_AICONFIG } from '../../test/helpers/policy-fixtures.ts';
import { compileBundle } from '../compile/compile-bundle.ts';
import { loadOrgPolicy, loadRepoPolicy } from '../load/load-policies.ts';
import type { RepoInput } from '../merge/merge-project.ts';
import { createIncrementalBundler, type BundleProject } from './incremental-bundle.ts';

const key = parsePrivateKey(generateSigningKeyPair().privateKeyPem);
if (!key.ok) throw new Error('key');
const signers = [{ key: key.key, keyid: key.keyid }];

function orgOf(yaml: string) {
  const org = loadOrgPolicy('ai-policy.yml', yaml);
  if (!org.org) throw new Error('org');
  return { ...org, org: org.org };
}

const payloadText = (envelope: string) => Buffer.from((JSON.parse(envelope) as { payload: string }).payload, 'base64').toString('utf8');

describe('incremental bundler', () => {
  it('produces exactly the canonical payload compileBundle does, across adds, changes, moves, removals and org changes', () => {
    const bundler = createIncrementalBundler();
    let org = orgOf(ORG_YAML);
    const input = (text: string | undefined): RepoInput => (text === undefined ? { kind: 'none' } : loadRepoPolicy('.aiconfig', text, org.value).input);
    const projects: BundleProject[] = [
      { id: 1, path: 'team/app', input: input(SEED_AICONFIG) },
      { id: 2, path: 'payments/api', input: input('ai_access:\n  enabled: true\n') },
      { id: 3, path: 'team/secrets-db', input: input(SEED_AICONFIG) },
      { id: 10, path: 'team/none', input: input(undefined) },
      { id: 11, path: 'team/broken', input: input('ai_access:\n  enabled: maybe\n') },
      { id: 12, path: 'team/custom', input: input('ai_access:\n  enabled: true\n  redact_patterns: ["TOKEN_[0-9]+"]\n') },
    ];
    const check = (serial: number, orgKey: string) => {
      const now = new Date(1_800_000_000_000 + serial);
      const built = bundler.build({ org: org.org, orgKey, projects, serial, now, expiresInMs: 3_600_000, issuer: { policyRepo: 'security/ai-policy', commit: 'abc' }, signers });
      const expected = compileBundle({ org: org.org, projects, serial, issuedAt: now, expiresAt: new Date(now.getTime() + 3_600_000), issuer: { policyRepo: 'security/ai-policy', commit: 'abc' } });
      expect(payloadText(built.text)).toBe(canonicalize(expected));
      const envelope = JSON.parse(built.text) as unknown;
      expect(built.text).toBe(`${JSON.stringify(envelope)}\n`);
    };
    check(1, 'v1');
    projects[1] = { id: 2, path: 'payments/api', input: input('ai_access:\n  enabled: true\n  exclude: ["*.pem"]\n') };
    check(2, 'v1');
    projects[0] = { ...projects[0]!, path: 'compliance/app' };
    projects.splice(4, 1);
    projects.push({ id: 20, path: 'labs/new', input: input(SEED_AICONFIG) });
    check(3, 'v1');
    org = orgOf(ORG_YAML.replace('exclude: [".env", "*.key"]', 'exclude: [".env", "*.key", "*.p12"]'));
    for (const p of projects) Object.assign(p, { input: p.input });
    check(4, 'v2');
  });
});
