import type { ProviderId } from '../../policy/providers.ts';

/**
 * One audit record per request (schemas/audit-record.schema.json). Rule ids and counts, file paths
 * and key indices only: never matched text, tokens or provider keys.
 */
export interface AuditRecordV1 {
  readonly schema_version: 1;
  readonly time: string;
  readonly request_id: string;
  readonly method: string;
  readonly route: string;
  readonly user: { readonly id: number; readonly username: string; readonly email: string | null } | null;
  readonly repo: { readonly id: number | null; readonly path: string } | null;
  readonly provider: ProviderId | null;
  readonly model: string | null;
  readonly stream: boolean | null;
  readonly decision: 'allow' | 'deny' | 'error';
  readonly reason: string | null;
  readonly status: number;
  readonly file?: string | null;
  readonly redactions: Readonly<Record<string, number>>;
  readonly withheld_paths: readonly string[];
  readonly bytes_in: number;
  readonly bytes_out: number;
  readonly upstream_status: number | null;
  readonly key_index: number | null;
  readonly latency_ms: { readonly total: number; readonly ttfb: number | null; readonly upstream: number | null; readonly gitlab: number | null };
  readonly bundle_serial: number | null;
  readonly unscoped?: boolean;
  readonly client?: { readonly ip?: string; readonly user_agent?: string };
}

/** A line of the JSONL journal: the record, its sequence number and the hash of the previous line. */
export interface JournalLineV1 {
  readonly seq: number;
  /** Lowercase hex SHA-256 of the previous line's bytes (without its newline); 64 zeros for the first. */
  readonly prev: string;
  readonly record: AuditRecordV1;
}
