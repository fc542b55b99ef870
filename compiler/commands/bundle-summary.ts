import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';

/** Counts that `compile` and `verify` print about a bundle. */
export function summarizeBundle(payload: BundlePayloadV1) {
  const byState: Record<string, number> = {};
  for (const entry of Object.values(payload.projects)) byState[entry.state] = (byState[entry.state] ?? 0) + 1;
  return {
    serial: payload.serial,
    issued_at: payload.issued_at,
    expires_at: payload.expires_at,
    issuer: payload.issuer,
    projects: { total: Object.keys(payload.projects).length, by_state: byState },
    rule_sets: Object.keys(payload.rule_sets).length,
    redaction_rules: Object.keys(payload.redaction_rules).length,
    providers: payload.org.providers,
  };
}
