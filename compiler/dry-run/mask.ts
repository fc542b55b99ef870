/** What a preview keeps in front of the mask: a recognisable prefix, never more than this. */
export const MAX_PREVIEW_PREFIX = 6;
export const MASK = '****';

/**
 * A masked preview of redacted text, e.g. `glpat-****`: the token's recognisable prefix (up to the
 * last `-`, `_`, `.`, `:` or `/` within the first six characters), else a few leading characters
 * of a long value: never more than a quarter of the value when no prefix is recognisable, and at
 * least eight characters stay hidden behind one that is, so a short secret shows nothing at all. Leading spaces, quotes and
 * assignment signs are skipped so the preview starts at the value.
 */
export function maskSecret(text: string): string {
  const value = text.replace(/^[\s'"`=:,;({[]+/u, '');
  const chars = Array.from(value.slice(0, 64));
  // The value's own length (up to a space or quote), not the text after it, bounds what is shown.
  const token = /^[^\s'"`]*/u.exec(value)?.[0] ?? '';
  const length = Math.min(chars.length, Array.from(token.slice(0, 64)).length);
  const head = chars.slice(0, MAX_PREVIEW_PREFIX);
  let keep = 0;
  for (let i = head.length - 1; i >= 0; i--) {
    if ('-_.:/'.includes(head[i] ?? '')) {
      keep = i + 1;
      break;
    }
  }
  // A prefix is shown only in front of at least eight hidden characters.
  keep = keep > 0 && length - keep >= 8 ? keep : Math.min(4, Math.floor(length / 4));
  // Only printable characters: a preview is a single line in every output format.
  const prefix = head.slice(0, keep).join('').replace(/[\u0000-\u001f\u007f\u2028\u2029]/gu, '');
  return `${prefix}${MASK}`;
}
