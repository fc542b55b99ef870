import { createHash } from 'node:crypto';

/** The id of a rule written without one: stable across reordering, so audit history stays comparable. */
export function derivedRuleId(pattern: string): string {
  return `custom-${createHash('sha256').update(pattern).digest('hex').slice(0, 8)}`;
}
