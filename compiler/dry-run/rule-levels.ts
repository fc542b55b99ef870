import type { RedactionRuleV1 } from '../../policy/bundle-types.ts';

/** "92 built-in, 2 org, 1 repo": how many redaction rules each level contributes. */
export function ruleLevels(rules: readonly RedactionRuleV1[]): string {
  const counts = new Map<string, number>();
  for (const r of rules) {
    const level = r.source.level === 'builtin' ? 'built-in' : r.source.level;
    counts.set(level, (counts.get(level) ?? 0) + 1);
  }
  return [...counts].map(([level, n]) => `${n} ${level}`).join(', ') || 'none';
}
