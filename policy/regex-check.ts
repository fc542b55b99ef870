import { RE2, type Re2 } from './re2.ts';

export type PatternProblemKind = 'invalid' | 'unsupported' | 'matches_empty';

export interface PatternProblem {
  readonly kind: PatternProblemKind;
  readonly message: string;
  /** Index in the pattern of the offending construct (0 when unknown). */
  readonly index: number;
  readonly hint?: string;
}

/** RE2 messages for constructs that need backtracking, with what to write instead. */
const UNSUPPORTED: readonly { readonly test: RegExp; readonly what: string; readonly hint: string }[] = [
  { test: /^invalid perl operator: \(\?[=!]$/, what: 'lookahead', hint: 'RE2 has no lookahead; match the following text too, or capture the secret part and keep the rest with $1' },
  { test: /^invalid perl operator: \(\?<[=!]$/, what: 'lookbehind', hint: 'RE2 has no lookbehind; include the preceding text in the match and put it back with a $1 reference in the replacement' },
  { test: /^invalid escape sequence: \\[1-9k]/, what: 'backreference', hint: 'RE2 has no backreferences; list the alternatives explicitly' },
  { test: /^invalid perl operator: \(\?>$/, what: 'atomic group', hint: 'RE2 never backtracks, so a plain group (?:...) is equivalent' },
  { test: /^bad repetition operator: [*+?]{2}$/, what: 'possessive quantifier', hint: 'RE2 never backtracks; drop the second quantifier character' },
];

/** Probe texts whose positions cover every combination of text edges, line edges and word boundaries. */
const EMPTY_PROBES = ['', 'a', ' ', '\n', 'ab', 'a b', ' a ', 'a\nb', '\n\n', '.a.', '_9', 'é'];

/**
 * Checks that a redaction pattern is safe to run on every request: it compiles under RE2 (linear
 * time, so no user pattern can stall the proxy with catastrophic backtracking) and it cannot match
 * empty text (an empty match would insert replacements between every character).
 */
export function checkPattern(pattern: string): PatternProblem | undefined {
  let re: Re2;
  try {
    re = new RE2(pattern, 'gu');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const fragment = message.includes(': ') ? message.slice(message.indexOf(': ') + 2) : '';
    const index = Math.max(0, fragment ? pattern.indexOf(fragment) : 0);
    const unsupported = UNSUPPORTED.find((u) => u.test.test(message));
    if (unsupported) return { kind: 'unsupported', message: `${unsupported.what} is not supported by RE2 (${message})`, index, hint: unsupported.hint };
    return { kind: 'invalid', message: `invalid regular expression: ${message}`, index };
  }
  if (matchesEmpty(re)) {
    return {
      kind: 'matches_empty',
      message: 'the pattern can match empty text',
      index: 0,
      hint: 'make at least one character mandatory, e.g. "secret=\\S+" instead of "(secret=\\S*)?"',
    };
  }
  return undefined;
}

function matchesEmpty(re: Re2): boolean {
  for (const probe of EMPTY_PROBES) {
    for (let i = 0; i <= probe.length; i++) {
      re.lastIndex = i;
      const match = re.exec(probe);
      if (match && match[0] === '' && match.index === i) return true;
    }
  }
  return false;
}

/** Capture groups of a compiled-safe pattern: how many, and their names. */
export function captureGroups(pattern: string): { readonly count: number; readonly names: readonly string[] } {
  // `(?:p)|` always matches the empty string, so exec reports every group of p (unset).
  const match = new RE2(`(?:${pattern})|`, 'u').exec('');
  return { count: match ? match.length - 1 : 0, names: Object.keys(match?.groups ?? {}) };
}
