import { RE2, type Re2, type Re2Set } from './re2.ts';
import { defaultReplacement, type RedactionRuleSpec } from './redaction-rule.ts';
import { captureGroups } from './regex-check.ts';
import { expandReplacement, parseReplacement, type ReplacementTemplate } from './replacement.ts';

/**
 * Passes over one text before giving up. A pass re-runs only when the previous one changed the text
 * (one rule's output can complete another rule's match); real rule sets settle in one or two. The
 * bound keeps a self-feeding rule (a replacement the same rule matches again) from looping forever.
 */
export const MAX_PASSES = 4;

/**
 * Long texts are redacted chunk by chunk (at line boundaries): every rule that fires rescans the
 * text it is given, so on a 100 KB tool result with a few secrets, rescanning only the chunks where
 * the Set prefilter fired is several times cheaper than rescanning everything once per rule.
 * Shorter texts (most JSON string values) go through RE2's string API in one piece.
 */
export const CHUNK_SIZE = 1024;

/** DFA memory for one rule set's prefilter (RE2's default, 8 MiB, is just enough for the built-ins). */
export const SET_MAX_MEM = 32 * 1024 * 1024;

export type RedactionCounts = Record<string, number>;

export interface RedactionResult {
  readonly text: string;
  /** Replacements per rule id (never the matched text). */
  readonly counts: Readonly<RedactionCounts>;
}

export interface Redactor {
  readonly ruleIds: readonly string[];
  /** Redacts one text. */
  readonly redact: (text: string) => RedactionResult;
  /** Redacts one text, adding to `counts` (for the many strings of one request body). */
  readonly redactInto: (text: string, counts: RedactionCounts) => string;
}

/**
 * Splits UTF-8 bytes after the last newline before each `size` boundary. A 0x0A byte never occurs
 * inside a multi-byte character; in a line longer than `size` the cut moves back to a character
 * start (never onto a continuation byte 10xxxxxx).
 */
function* byteChunks(bytes: Buffer, size: number): Generator<Buffer> {
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(bytes.length, start + size);
    if (end < bytes.length) {
      const newline = bytes.lastIndexOf(0x0a, end - 1);
      if (newline >= start) end = newline + 1;
      else while (end > start + 1 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
    }
    yield bytes.subarray(start, end);
    start = end;
  }
}

interface CompiledRule {
  readonly id: string;
  readonly re: Re2;
  readonly template: ReplacementTemplate;
  readonly groupCount: number;
}

/**
 * Compiles rules for repeated use. An RE2.Set over all patterns is the prefilter: one linear scan
 * tells which rules fire, and clean text (most text) costs only that scan. Rules then fire in
 * order. Throws on a pattern RE2 rejects: the compiler validated them, so that is a bug or a forged
 * bundle, and the caller must fail closed.
 */
export function compileRedactor(rules: readonly RedactionRuleSpec[]): Redactor {
  const compiled: CompiledRule[] = rules.map((rule) => ({
    id: rule.id,
    re: new RE2(rule.pattern, 'gu'),
    template: parseReplacement(rule.replacement ?? defaultReplacement(rule.id)),
    groupCount: captureGroups(rule.pattern).count,
  }));
  // Headroom for the lazily built DFA: above its budget RE2 rebuilds the cache on every text.
  const set: Re2Set | undefined = compiled.length > 0 ? new RE2.Set(rules.map((r) => r.pattern), 'u', { maxMem: SET_MAX_MEM }) : undefined;

  /** The replacer for one rule: expands its template and counts real changes. */
  const replacer = (rule: CompiledRule, counts: RedactionCounts, changed: { value: boolean }) => (...args: unknown[]) => {
    const matched = args[0] as string;
    // An empty match (rejected at compile time) must never insert text between characters.
    if (matched === '') return '';
    const last = args[args.length - 1];
    const named = typeof last === 'object' && last !== null && !Buffer.isBuffer(last) ? (last as Record<string, string | undefined>) : undefined;
    const out = expandReplacement(rule.template, args.slice(0, rule.groupCount + 1) as (string | undefined)[], named);
    // Re-matching an earlier replacement yields the same text: not a new redaction.
    if (out !== matched) {
      counts[rule.id] = (counts[rule.id] ?? 0) + 1;
      changed.value = true;
    }
    return out;
  };

  const passes = <T extends string | Buffer>(input: T, counts: RedactionCounts, replace: (rule: CompiledRule, text: T, fn: ReturnType<typeof replacer>) => T): T => {
    let current = input;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      // match() alone: on clean text it costs what test() does, on dirty text it saves a scan.
      const hits = set!.match(current);
      if (hits.length === 0) return current;
      const changed = { value: false };
      for (const index of hits) {
        const rule = compiled[index];
        if (rule) current = replace(rule, current, replacer(rule, counts, changed));
      }
      if (!changed.value) return current;
    }
    return current;
  };

  const stringPasses = (text: string, counts: RedactionCounts) => passes(text, counts, (rule, t, fn) => t.replace(rule.re, fn));
  const bufferPasses = (bytes: Buffer, counts: RedactionCounts) => passes<Buffer>(bytes, counts, (rule, b, fn) => rule.re.replace(b, fn) as Buffer);

  const redactInto = (text: string, counts: RedactionCounts): string => {
    if (!set || text.length === 0) return text;
    if (text.length <= 2 * CHUNK_SIZE) return stringPasses(text, counts);
    // One UTF-8 conversion: RE2's string API would convert the text again on every call.
    const bytes: Buffer = Buffer.from(text, 'utf8');
    if (!set.test(bytes)) return text;
    const parts: Buffer[] = [];
    let changed = false;
    for (const chunk of byteChunks(bytes, CHUNK_SIZE)) {
      const out = bufferPasses(chunk, counts);
      if (out !== chunk) changed = true;
      parts.push(out);
    }
    let result = changed ? Buffer.concat(parts) : bytes;
    // A match that crossed a chunk boundary (a PEM block, a token cut inside a very long line) was
    // seen by no chunk: the whole text gets the rules that still fire. Usually only this check runs.
    if (set.test(result)) result = bufferPasses(result, counts);
    return result === bytes ? text : result.toString('utf8');
  };

  return {
    ruleIds: compiled.map((r) => r.id),
    redactInto,
    redact: (text) => {
      const counts: RedactionCounts = {};
      return { text: redactInto(text, counts), counts };
    },
  };
}
