/**
 * RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so a signature
 * over a bundle does not depend on key order, whitespace or number spelling.
 *
 * The values are built by our own code, so anything JCS cannot represent is a programming error
 * and throws a TypeError instead of being dropped or coerced the way JSON.stringify would
 * (`undefined` members vanish, `NaN` becomes `null`, a Date becomes a string): silently
 * changing what gets signed would sign something other than what the caller meant.
 */

/** The JCS text of `value`. Throws a TypeError for values JCS (I-JSON) cannot represent. */
export function canonicalize(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, new Set());
  return parts.join('');
}

/** `canonicalize` as UTF-8 bytes: what gets hashed or signed. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8');
}

function write(value: unknown, parts: string[], ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      parts.push(quote(value));
      return;
    case 'number':
      parts.push(formatNumber(value));
      return;
    case 'boolean':
      parts.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) {
        parts.push('null');
        return;
      }
      if (ancestors.has(value)) throw new TypeError('canonicalize: cyclic structure');
      ancestors.add(value);
      if (Array.isArray(value)) writeArray(value, parts, ancestors);
      else writeObject(value, parts, ancestors);
      ancestors.delete(value);
      return;
    default:
      // undefined, function, symbol, bigint: JSON has no such value.
      throw new TypeError(`canonicalize: cannot represent a ${typeof value}`);
  }
}

function writeArray(array: readonly unknown[], parts: string[], ancestors: Set<object>): void {
  parts.push('[');
  // Index loop, not for-of over entries: a hole reads as undefined and is rejected.
  for (let i = 0; i < array.length; i++) {
    if (i > 0) parts.push(',');
    write(array[i], parts, ancestors);
  }
  parts.push(']');
}

function writeObject(object: object, parts: string[], ancestors: Set<object>): void {
  const proto = Object.getPrototypeOf(object);
  // Maps, Dates, Buffers, class instances: JSON.stringify would serialize them as something else
  // (often `{}`), so what is signed would not be what the caller holds.
  if (proto !== Object.prototype && proto !== null) throw new TypeError('canonicalize: not a plain object');
  if (Object.getOwnPropertySymbols(object).length > 0) throw new TypeError('canonicalize: symbol-keyed property');
  const record = object as Record<string, unknown>;
  // Default sort compares UTF-16 code units, exactly the order RFC 8785 §3.2.3 specifies.
  const keys = Object.keys(record).sort();
  parts.push('{');
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (i > 0) parts.push(',');
    parts.push(quote(key), ':');
    write(record[key], parts, ancestors);
  }
  parts.push('}');
}

/** ECMAScript Number.prototype.toString, which RFC 8785 §3.2.2.3 adopts; `-0` prints as `0`. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`canonicalize: ${value} is not a JSON number`);
  return String(value);
}

/**
 * A JSON string literal escaped as JCS requires: only `"`, `\`, and U+0000–U+001F (short escapes
 * where JSON has them, else `\u00xx` in lower case). For a well-formed string that is exactly
 * ECMAScript's JSON.stringify, which RFC 8785 §3.2.2.2 adopts, and the native version is several
 * times faster on a 12 MB bundle than escaping here.
 */
function quote(text: string): string {
  // I-JSON (RFC 7493) forbids lone surrogates: they have no UTF-8 encoding, so two
  // implementations would hash different bytes (or U+FFFD) for the same value.
  if (!text.isWellFormed()) throw new TypeError('canonicalize: string contains a lone surrogate');
  return JSON.stringify(text);
}
