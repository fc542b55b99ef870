import type { RuleSourceV1 } from './bundle-types.ts';

/** "ai-policy.yml line 12", ".aiconfig line 4", "built-in rule": what a denial message cites. */
export function describeSource(source: RuleSourceV1 | undefined): string {
  if (!source) return 'policy';
  if (source.level === 'builtin') return 'built-in rule';
  const where = source.file ?? (source.level === 'repo' ? '.aiconfig' : 'org policy');
  const group = source.level === 'group' && source.group !== undefined ? `, groups[${source.group}]` : '';
  return source.line ? `${where} line ${source.line}${group}` : `${where}${group}`;
}
