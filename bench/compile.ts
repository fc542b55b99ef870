import { compileBundle } from '../compiler/compile/compile-bundle.ts';
import { loadOrgPolicy, loadRepoPolicy } from '../compiler/load/load-policies.ts';
import type { RepoInput } from '../compiler/merge/merge-project.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../policy/bundle-types.ts';
import { canonicalBytes } from '../policy/canonical-json.ts';
import { signEnvelope } from '../policy/dsse.ts';
import { generateSigningKeyPair, parsePrivateKey } from '../policy/keys.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Compile and sign 10,000 synthetic projects: most share a handful of `.aiconfig` files (as real
 * organisations do), one in ten has its own rules. Prints wall time per phase, bundle size and how
 * many rule sets the projects share. Aim: under 10 s, and equal rules share one rule set.
 */
const N = Number(process.env['PROJECTS'] ?? 10_000);
const root = join(import.meta.dirname, '..');
const orgText = readFileSync(join(root, 'examples/ai-policy.yml'), 'utf8');
const org = loadOrgPolicy('ai-policy.yml', orgText);
if (!org.org) throw new Error('example org policy is invalid');

const COMMON = [
  readFileSync(join(root, 'examples/.aiconfig'), 'utf8'),
  'ai_access:\n  enabled: true\n',
  'ai_access:\n  enabled: true\n  allowed_providers: [anthropic]\n  exclude: ["*.sql"]\n',
  'ai_access:\n  enabled: false\n',
];
const GROUPS = ['team-a', 'team-b', 'platform', 'payments', 'data/warehouse', 'mobile'];

const t0 = performance.now();
const projects: { id: number; path: string; input: RepoInput }[] = [];
for (let i = 1; i <= N; i++) {
  const path = `${GROUPS[i % GROUPS.length]}/project-${i}`;
  let input: RepoInput = { kind: 'none' };
  if (i % 10 === 0) {
    input = loadRepoPolicy('.aiconfig', `ai_access:\n  enabled: true\n  exclude: ["private-${i}/"]\n  redact_patterns:\n    - id: p${i}\n      pattern: "TOKEN_${i}=\\\\S+"\n`, org.value).input;
  } else if (i % 7 !== 0) {
    input = loadRepoPolicy('.aiconfig', COMMON[i % COMMON.length]!, org.value).input;
  }
  projects.push({ id: i, path, input });
}
const tLoad = performance.now();
const payload = compileBundle({ org: org.org, projects, serial: Date.now(), issuedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) });
const tCompile = performance.now();
const bytes = canonicalBytes(payload);
const tCanonical = performance.now();
const { privateKeyPem } = generateSigningKeyPair();
const key = parsePrivateKey(privateKeyPem);
if (!key.ok) throw new Error('key');
const envelope = JSON.stringify(signEnvelope(BUNDLE_PAYLOAD_TYPE, bytes, [{ key: key.key, keyid: key.keyid }]));
const tSign = performance.now();

const sets = new Set(Object.values(payload.projects).map((p) => p.rule_set).filter(Boolean));
console.log(`projects               ${N}`);
console.log(`validate+load .aiconfig ${((tLoad - t0) / 1000).toFixed(2)} s`);
console.log(`merge+compile          ${((tCompile - tLoad) / 1000).toFixed(2)} s`);
console.log(`canonical JSON         ${((tCanonical - tCompile) / 1000).toFixed(2)} s`);
console.log(`sign (Ed25519, DSSE)   ${((tSign - tCanonical) / 1000).toFixed(2)} s`);
console.log(`total                  ${((tSign - t0) / 1000).toFixed(2)} s (aim < 10 s)`);
console.log(`bundle                 ${(Buffer.byteLength(envelope) / 1e6).toFixed(2)} MB envelope, ${(bytes.length / 1e6).toFixed(2)} MB payload`);
console.log(`rule sets              ${Object.keys(payload.rule_sets).length} distinct (${sets.size} used by projects), ${Object.keys(payload.redaction_rules).length} distinct rules`);
