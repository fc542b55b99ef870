import type { KeyObject } from 'node:crypto';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import { BUNDLE_PAYLOAD_TYPE } from '../../policy/bundle-types.ts';
import { canonicalBytes } from '../../policy/canonical-json.ts';
import { signEnvelope } from '../../policy/dsse.ts';
import { compileBundle } from '../compile/compile-bundle.ts';
import type { OrgModel } from '../load/policy-model.ts';
import type { ProjectRef, RepoInput } from '../merge/merge-project.ts';

export interface SignBundleInput {
  readonly org: OrgModel;
  readonly projects: Iterable<ProjectRef & { readonly input: RepoInput }>;
  readonly serial: number;
  readonly now: Date;
  readonly expiresInMs: number;
  readonly issuer?: { readonly policyRepo?: string; readonly commit?: string };
  readonly signers: readonly { readonly key: KeyObject; readonly keyid: string }[];
}

/** Compiles and signs: the envelope text exactly as it is published (one line, newline-terminated). */
export function signBundle(input: SignBundleInput): { payload: BundlePayloadV1; text: string } {
  const payload = compileBundle({
    org: input.org,
    projects: input.projects,
    serial: input.serial,
    issuedAt: input.now,
    expiresAt: new Date(input.now.getTime() + input.expiresInMs),
    ...(input.issuer ? { issuer: input.issuer } : {}),
  });
  const envelope = signEnvelope(BUNDLE_PAYLOAD_TYPE, canonicalBytes(payload), input.signers);
  return { payload, text: `${JSON.stringify(envelope)}\n` };
}
