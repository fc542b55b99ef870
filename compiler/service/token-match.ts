import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether `given` equals one of `tokens`, in time independent of where they differ (a timing
 * attack would otherwise recover a webhook secret byte by byte). Both sides are hashed first so
 * lengths never leak either, and every configured token is compared (rotation: old and new both
 * work) without stopping at the first match.
 */
export function matchesAnyToken(given: string | undefined, tokens: readonly string[]): boolean {
  if (given === undefined || given === '' || tokens.length === 0) return false;
  const g = digest(given);
  let match = false;
  for (const token of tokens) match = timingSafeEqual(g, digest(token)) || match;
  return match;
}
