import type { RedactionCounts, Redactor } from '../../policy/redact.ts';
import { DataplaneError } from '../codes.ts';

/** Deeper nesting than any provider API uses; refusing it keeps a crafted body from exhausting the stack. */
export const MAX_JSON_DEPTH = 128;

/**
 * Redacts every string value in a JSON document (system prompts, messages, tool inputs, tool results,
 * `input` items, and anything a future API adds): walking all values rather than known fields means a
 * secret in a field aigate has never heard of is still scrubbed. Object keys are left alone (they are
 * field names). Counts by rule id go into `counts`; the matched text is never kept.
 */
export function redactJson(value: unknown, redactor: Redactor, counts: RedactionCounts, depth = 0): unknown {
  if (typeof value === 'string') return value.length === 0 ? value : redactor.redactInto(value, counts);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_JSON_DEPTH) throw new DataplaneError('request_invalid', `aigate: the request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = redactJson(value[i], redactor, counts, depth + 1);
    return value;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const redacted = redactJson(object[key], redactor, counts, depth + 1);
    // JSON.parse makes "__proto__" an own property; plain assignment would hit the prototype setter
    // and leave the original (unredacted) value in place, to be serialised to the provider.
    if (key === '__proto__') Object.defineProperty(object, key, { value: redacted, writable: true, enumerable: true, configurable: true });
    else object[key] = redacted;
  }
  return value;
}
