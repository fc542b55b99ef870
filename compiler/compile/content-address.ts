import { createHash } from 'node:crypto';
import { canonicalize } from '../../policy/canonical-json.ts';

/**
 * The key of a rule or rule set inside a bundle: SHA-256 of its RFC 8785 canonical JSON, base64url
 * (43 characters). Full length, because a repository controls its own rules: a shorter key would
 * let a crafted rule collide with an org rule's key and take its place.
 */
export function contentAddress(value: unknown): string {
  return createHash('sha256').update(canonicalize(value)).digest('base64url');
}
