import { DataplaneError } from '../codes.ts';
import type { Journal } from '../audit/journal.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';

/** Fail closed: no request is served while its audit record could not be written. */
export function requireAudit(journal: Journal): Stage {
  return function requireAudit() {
    if (journal.health().writable) return undefined;
    return new DataplaneError('audit_unavailable', 'aigate: the audit journal cannot be written, so requests are refused until it can', { retryAfter: 10 });
  };
}
