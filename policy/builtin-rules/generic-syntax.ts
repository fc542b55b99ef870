/**
 * Pattern pieces shared by the generic rules. RE2 has no lookahead, so "not a placeholder" and
 * "not already redacted" are expressed as character classes, and every rule keeps key, separator
 * and quotes in capture groups that the replacement puts back.
 */

/**
 * Key endings for passwords. Human-chosen, so a value of lowercase letters (`postgres`,
 * `swordfish`) is still a password; only all-caps values are taken for placeholders
 * (`CHANGEME`, `YOUR_PASSWORD`, or `REDACTED` written by an organisation's own rule).
 */
const PASSWORD_KEY = String.raw`(?i:password|passwd|pwd|passphrase|[_.-]pass)`;

/**
 * Key endings for tokens and keys. Their real values are random, so they hold a digit or symbol;
 * a value of letters only (`access_token: 'access_token'`, `authToken: 'INCRBY'`) is an enum or
 * a name, and is left alone.
 */
const TOKEN_KEY = String.raw`(?i:secret|token|auth|(?:api|access|private|secret|signing|encryption|master)[_-]?key)`;

/**
 * Both, matched case-insensitively (scoped: values stay case-sensitive) at the END of the key:
 * `DB_PASSWORD`, `stripeApiKey` and `client_secret` match while `passwordHint`, `tokenizer` and
 * `max_tokens` do not. `[_.-]pass` catches `DB_PASS` without `compass` or `bypass`.
 */
export const SECRET_KEY_NAME = `(?:${PASSWORD_KEY}|${TOKEN_KEY})`;

/** Characters that do not by themselves make a value secret-like: allowed first, and anywhere. */
export interface PlainChars {
  readonly first: string;
  readonly rest: string;
}

/** Identifier characters: a value made only of these reads as a name or expression. */
export const WORDS: PlainChars = { first: 'A-Za-z_', rest: String.raw`A-Za-z_.\-` };

/** Constant-case characters: a value made only of these reads as a placeholder. */
export const CONSTANT_CASE: PlainChars = { first: 'A-Z_', rest: 'A-Z_' };

/** Where a value stands: characters it cannot contain, and those it cannot start with. */
export interface ValueSyntax {
  readonly excluded: string;
  readonly excludedFirst: string;
}

/**
 * Inside quotes: no whitespace (so UI strings like "Enter your password" are left alone) and no
 * braces (template literals). Not first: `[` (a value already redacted: `[REDACTED:…]`, which
 * keeps redaction idempotent), `$`/`%`/`#` (interpolation: `${VAR}`, `%(pw)s`, `#{ENV}`), `<`
 * (`<your-token>`), `*` (masked `****`), `(`, and `/`/`~` (paths: `"PWD": "/home/me"`).
 */
export const QUOTED: ValueSyntax = { excluded: String.raw`\s"'\x60\\{}`, excludedFirst: String.raw`\[\]$<>%*#(/~` };

/** An XML element body or attribute value. */
export const XML: ValueSyntax = { excluded: String.raw`\s<>"'`, excludedFirst: String.raw`\[\]$%{}*#(` };

/**
 * Unquoted after `KEY=` (.env, shell, URL query, connection string): also no `(`, `)`, `,`, so a
 * call argument (`connect(password=password)`) is not taken for a secret; not first: `/`, `~`
 * (paths: `PWD=/home/me`) and `=` (`token==x`).
 */
export const UNQUOTED_ENV: ValueSyntax = { excluded: String.raw`\s"'\x60\\\[\]<>{}();&,|`, excludedFirst: String.raw`$%*#=/~` };

/**
 * Unquoted after `key:` / `key =` up to the end of the line (YAML, INI, properties). Not first:
 * `!`, `&`, `*` (YAML tags, anchors, aliases) and `:` besides the `KEY=` exclusions.
 */
export const UNQUOTED_LINE: ValueSyntax = { excluded: String.raw`\s"'\x60\\\[\]{}()<>;,|`, excludedFirst: String.raw`!&*$%/~#=:` };

/** A URL password: up to the `@` before the host (an unencoded `@` inside is allowed). */
export const URL_PASSWORD: ValueSyntax = { excluded: String.raw`\s/?#"'<>`, excludedFirst: String.raw`@\[\]$*{` };

/** A whitespace-separated word (.netrc). */
export const WORD: ValueSyntax = { excluded: String.raw`\s`, excludedFirst: String.raw`\[$<{%` };

/** An .npmrc value after `=`. */
export const NPMRC: ValueSyntax = { excluded: String.raw`\s"'\x60`, excludedFirst: String.raw`\[$<{` };

/**
 * The classes a value is assembled from: `any` character, the `plain` ones that do not make a value
 * secret-like (allowed first or later), and the `mark`s that do (allowed first or later).
 */
export interface ValueClasses {
  readonly any: string;
  readonly plainFirst: string;
  readonly plainRest: string;
  readonly markFirst: string;
  readonly mark: string;
}

/**
 * Values are printable ASCII. A negated class that also admitted every other code point compiles
 * to dozens of UTF-8 byte-range instructions; repeated across the alternatives of the generic
 * rules, that pushed the redactor's RE2.Set past its DFA memory budget, which then rebuilds its
 * cache on every string and runs ten times slower.
 */
const NOT_PRINTABLE_ASCII = String.raw`\x00-\x20\x7f-\x{10FFFF}`;

/** The classes for a value standing in `syntax` whose `plain` characters alone do not make it a secret. */
export function classesFor(syntax: ValueSyntax, plain: PlainChars): ValueClasses {
  const excluded = `${NOT_PRINTABLE_ASCII}${syntax.excluded}`;
  return {
    any: `[^${excluded}]`,
    plainFirst: `[${plain.first}]`,
    plainRest: `[${plain.rest}]`,
    markFirst: `[^${plain.rest}${excluded}${syntax.excludedFirst}]`,
    mark: `[^${plain.rest}${excluded}]`,
  };
}

/** An RFC 6750 token or base64 credential after an auth scheme; constant case (`Bearer YOUR_TOKEN`) is a placeholder. */
export const HEADER_CREDENTIAL: ValueClasses = {
  any: '[A-Za-z0-9._~+/-]',
  plainFirst: '[A-Z_]',
  plainRest: '[A-Z_]',
  markFirst: '[a-z0-9.~+/-]',
  mark: '[a-z0-9.~+/-]',
};

/**
 * A value of at least `min` (≥ 2) characters with at least one mark, without lookahead: the value
 * is split at its first mark into plain characters, the mark and the rest, with one alternative
 * per position of the mark so the total length stays at least `min`.
 */
export function markedValue(c: ValueClasses, min: number): string {
  const alternatives = [`${c.markFirst}${c.any}{${min - 1},}`];
  for (let before = 1; before < min - 1; before++) {
    const more = before > 1 ? `${c.plainRest}{${before - 1}}` : '';
    alternatives.push(`${c.plainFirst}${more}${c.mark}${c.any}{${min - 1 - before},}`);
  }
  alternatives.push(`${c.plainFirst}${c.plainRest}{${min - 2},}${c.mark}${c.any}*`);
  return `(?:${alternatives.join('|')})`;
}

/**
 * `prefix(key)` followed by a value: password keys take any value but a constant-case one, token
 * keys one with a digit or symbol. Two capture groups, one per key kind (one is always unset): a
 * replacement of `$1$2…` puts back whichever prefix matched.
 */
export function keyedValue(prefix: (key: string) => string, syntax: ValueSyntax, min: number): string {
  const password = `(${prefix(PASSWORD_KEY)})${markedValue(classesFor(syntax, CONSTANT_CASE), min)}`;
  const token = `(${prefix(TOKEN_KEY)})${markedValue(classesFor(syntax, WORDS), min)}`;
  return `(?:${password}|${token})`;
}
