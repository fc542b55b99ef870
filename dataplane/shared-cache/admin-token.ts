import { createHash, timingSafeEqual } from 'node:crypto';

/** Shortest admin token accepted: anything shorter is guessable, so it is a configuration error. */
export const MIN_ADMIN_TOKEN_LENGTH = 24;

/**
 * Compares a presented token with the configured one in constant time. Both sides are hashed
 * first so that neither the comparison time nor an early length check reveals how much of the token
 * (or how long a token) an attacker guessed right.
 */
export function adminTokenMatches(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  return match ? (match[1] as string) : null;
}
