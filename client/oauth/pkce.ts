import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636: 32 random bytes as the verifier (43 base64url characters), its SHA-256 as the challenge. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The `state` that ties a callback to the authorization request this process made (CSRF). */
export function randomState(): string {
  return randomBytes(24).toString('base64url');
}
