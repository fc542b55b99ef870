import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { JournalLineV1 } from './audit-record.ts';

/** `prev` of the very first line of a journal. */
export const ZERO_HASH = '0'.repeat(64);

/** The head file: where the journal ended after the last successful flush. */
export const HEAD_FILE = 'journal.head.json';

const JOURNAL_FILE = /^audit-(\d{4}-\d{2}-\d{2})\.jsonl$/;
const TORN_FILE = /^audit-\d{4}-\d{2}-\d{2}\.jsonl\.torn-/;
const HASH = /^[0-9a-f]{64}$/;

/**
 * Longest line the readers accept. Records are a few hundred bytes; the bound only keeps a corrupt
 * file (gigabytes without a newline) from being buffered whole.
 */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** `audit-YYYY-MM-DD.jsonl` for the UTC date of `time`. */
export function journalFileName(time: Date): string {
  return `audit-${time.toISOString().slice(0, 10)}.jsonl`;
}

export function isJournalFileName(name: string): boolean {
  return JOURNAL_FILE.test(name);
}

/**
 * Journal files of `dir` in chain order. ISO dates sort lexically, so name order is date order.
 */
export async function listJournalFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter(isJournalFileName).sort();
}

/** Fragments moved aside when a journal was reopened after a crash mid-write (see journal-tail.ts). */
export async function listTornFragments(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => TORN_FILE.test(n)).sort();
}

/** Lowercase hex SHA-256 of a line's bytes, without its newline. */
export function hashLine(line: string | Uint8Array): string {
  return createHash('sha256').update(line).digest('hex');
}

/**
 * Serialises one line from an already stringified record. Byte-identical to
 * `JSON.stringify({ seq, prev, record })`: the record is stringified once, at append time.
 */
export function formatLine(seq: number, prev: string, recordJson: string): string {
  return `{"seq":${seq},"prev":"${prev}","record":${recordJson}}`;
}

/** Shape of a journal line (the record itself is checked against the schema separately). */
export function isJournalLine(value: unknown): value is JournalLineV1 {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const line = value as Record<string, unknown>;
  const keys = Object.keys(line);
  return (
    keys.length === 3 &&
    Number.isSafeInteger(line['seq']) &&
    (line['seq'] as number) >= 1 &&
    typeof line['prev'] === 'string' &&
    HASH.test(line['prev']) &&
    typeof line['record'] === 'object' &&
    line['record'] !== null
  );
}

/** Parses a line's bytes, or null when it is not JSON of the journal line shape. */
export function parseJournalLine(bytes: Uint8Array): JournalLineV1 | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return isJournalLine(value) ? value : null;
  } catch {
    return null;
  }
}

export function isHash(value: unknown): value is string {
  return typeof value === 'string' && HASH.test(value);
}
