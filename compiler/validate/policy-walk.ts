import { toPointer } from '../diagnostics.ts';
import type { PolicyKind } from './schema-registry.ts';

/** A glob as written, with where it sits and what it selects. */
export interface GlobEntry {
  readonly pointer: string;
  readonly glob: string;
  readonly target: 'file' | 'project';
}

/** A redaction rule as written (string shorthand or object form). */
export interface RuleEntry {
  readonly pointer: string;
  /** Pointer of the pattern string itself (equals `pointer` for the string shorthand). */
  readonly patternPointer: string;
  readonly pattern: string;
  readonly id: string | undefined;
  readonly replacement: string | undefined;
  /** The group entry index for rules under `groups:`, else undefined. */
  readonly group: number | undefined;
}

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/**
 * Every glob in a policy document, defensively: the walk tolerates documents that failed the schema,
 * so semantic rules still report what they can.
 */
export function globsOf(kind: PolicyKind, value: unknown): GlobEntry[] {
  const out: GlobEntry[] = [];
  const add = (path: (string | number)[], v: unknown, target: GlobEntry['target']) => {
    if (typeof v === 'string') out.push({ pointer: toPointer(path), glob: v, target });
  };
  if (!isObj(value)) return out;
  if (kind === 'aiconfig') {
    const access = value['ai_access'];
    if (isObj(access)) list(access['exclude']).forEach((g, i) => add(['ai_access', 'exclude', i], g, 'file'));
    return out;
  }
  list(value['exclude']).forEach((g, i) => add(['exclude', i], g, 'file'));
  list(value['blocked_repos']).forEach((g, i) => add(['blocked_repos', i], g, 'project'));
  list(value['groups']).forEach((entry, gi) => {
    if (!isObj(entry)) return;
    add(['groups', gi, 'namespace'], entry['namespace'], 'project');
    list(entry['exclude']).forEach((g, i) => add(['groups', gi, 'exclude', i], g, 'file'));
  });
  return out;
}

/** Every redaction rule in a policy document, in the order the compiler applies them. */
export function rulesOf(kind: PolicyKind, value: unknown): RuleEntry[] {
  const out: RuleEntry[] = [];
  const add = (path: (string | number)[], v: unknown, group: number | undefined) => {
    if (typeof v === 'string') {
      out.push({ pointer: toPointer(path), patternPointer: toPointer(path), pattern: v, id: undefined, replacement: undefined, group });
    } else if (isObj(v) && typeof v['pattern'] === 'string') {
      out.push({
        pointer: toPointer(path),
        patternPointer: toPointer([...path, 'pattern']),
        pattern: v['pattern'],
        id: typeof v['id'] === 'string' ? v['id'] : undefined,
        replacement: typeof v['replacement'] === 'string' ? v['replacement'] : undefined,
        group,
      });
    }
  };
  if (!isObj(value)) return out;
  if (kind === 'aiconfig') {
    const access = value['ai_access'];
    if (isObj(access)) list(access['redact_patterns']).forEach((r, i) => add(['ai_access', 'redact_patterns', i], r, undefined));
    return out;
  }
  list(value['redaction_rules']).forEach((r, i) => add(['redaction_rules', i], r, undefined));
  list(value['groups']).forEach((entry, gi) => {
    if (isObj(entry)) list(entry['redaction_rules']).forEach((r, i) => add(['groups', gi, 'redaction_rules', i], r, gi));
  });
  return out;
}

/** Every size setting with its pointer. */
export function sizesOf(kind: PolicyKind, value: unknown): { pointer: string; size: unknown }[] {
  if (!isObj(value)) return [];
  if (kind === 'aiconfig') {
    const access = value['ai_access'];
    return isObj(access) && 'max_file_size' in access ? [{ pointer: '/ai_access/max_file_size', size: access['max_file_size'] }] : [];
  }
  const out: { pointer: string; size: unknown }[] = [];
  if ('max_file_size' in value) out.push({ pointer: '/max_file_size', size: value['max_file_size'] });
  list(value['groups']).forEach((entry, gi) => {
    if (isObj(entry) && 'max_file_size' in entry) out.push({ pointer: toPointer(['groups', gi, 'max_file_size']), size: entry['max_file_size'] });
  });
  return out;
}

export { isObj, list };
