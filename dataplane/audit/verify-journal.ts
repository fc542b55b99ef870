import { join } from 'node:path';
import { validateAuditRecord } from '../../schemas/generated/audit-record.validate.js';
import { readHead, type HeadRead } from './head-file.ts';
import { HEAD_FILE, ZERO_HASH, hashLine, isJournalLine, listJournalFiles, listTornFragments } from './journal-files.ts';
import { readLines, type FileLine } from './read-lines.ts';

export type JournalProblemKind = 'edited' | 'removed' | 'reordered' | 'truncated' | 'malformed';

export interface JournalProblem {
  readonly kind: JournalProblemKind;
  readonly file: string;
  /** 1-based line in `file`. */
  readonly line: number;
  readonly seq?: number;
  readonly message: string;
}

export interface JournalVerification {
  readonly ok: boolean;
  readonly files: number;
  /** Lines checked before the first problem (all of them when ok). */
  readonly records: number;
  readonly lastSeq: number;
  readonly problem?: JournalProblem;
  /** Fragments of crash-interrupted writes moved aside on reopen (not part of the chain). */
  readonly torn: readonly string[];
}

interface Place {
  readonly file: string;
  readonly line: number;
  readonly seq: number;
  readonly hash: string;
}

/** Lines are missing before `at`, unless one of seqs from..to turns up later (then they were moved). */
interface Gap {
  readonly from: number;
  readonly to: number;
  readonly at: Place;
}

/**
 * Checks the whole chain in `dir` file by file, streaming, and reports the first problem: each
 * line's `prev` must be the hash of the line before, `seq` must rise by one from 1, and the end must
 * reach what `journal.head.json` recorded. Rejects only when the directory cannot be read.
 */
export async function verifyJournal(dir: string): Promise<JournalVerification> {
  const files = await listJournalFiles(dir);
  const head = await readHead(dir);
  const torn = await listTornFragments(dir);
  let prev: Place | null = null;
  let gap: Gap | null = null;
  let problem: JournalProblem | null = null;
  let headSeen: Place | null = null;
  let records = 0;
  let lastFile: { name: string; lines: number } | null = null;

  scan: for (const file of files) {
    lastFile = { name: file, lines: 0 };
    for await (const line of readLines(join(dir, file))) {
      lastFile.lines = line.number;
      if (gap) {
        const seq = parseSeq(line.bytes);
        if (seq !== null && seq >= gap.from && seq <= gap.to) {
          problem = at(gap.at, 'reordered', `seq ${gap.at.seq} comes before seq ${seq}: lines were swapped or moved`);
          break scan;
        }
        continue;
      }
      const checked = checkLine(file, line, prev);
      if ('kind' in checked) {
        problem = checked;
        break scan;
      }
      if ('gap' in checked) {
        gap = checked.gap;
        continue;
      }
      prev = checked.place;
      records++;
      if (head.kind === 'ok' && prev.seq === head.head.seq) headSeen = prev;
    }
  }
  if (gap && !problem) problem = at(gap.at, 'removed', removedMessage(gap));
  problem ??= checkHead(head, prev, headSeen, lastFile, records);
  const result = { files: files.length, records, lastSeq: prev?.seq ?? 0, torn };
  return problem ? { ok: false, ...result, problem } : { ok: true, ...result };
}

function checkLine(file: string, line: FileLine, prev: Place | null): JournalProblem | { gap: Gap } | { place: Place } {
  const here = { file, line: line.number };
  if (line.tooLong) return { ...here, kind: 'malformed', message: 'the line is longer than any journal line can be' };
  if (!line.terminated) return { ...here, kind: 'truncated', message: 'the last line has no newline: a write was cut off or the file was truncated' };
  let value: unknown;
  try {
    value = JSON.parse(line.bytes.toString('utf8'));
  } catch {
    return { ...here, kind: 'malformed', message: 'the line is not valid JSON' };
  }
  if (!isJournalLine(value)) return { ...here, kind: 'malformed', message: 'the line is not a journal line {seq, prev, record}' };
  const place: Place = { ...here, seq: value.seq, hash: hashLine(line.bytes) };
  if (!validateAuditRecord(value.record)) {
    const first = validateAuditRecord.errors?.[0];
    return at(place, 'malformed', `the record fails the audit record schema${first ? ` at "${first.instancePath}": ${first.message ?? ''}` : ''}`);
  }
  const expected = (prev?.seq ?? 0) + 1;
  const prevHash = prev?.hash ?? ZERO_HASH;
  if (value.seq === expected) {
    if (value.prev === prevHash) return { place };
    // The stored prev no longer matches: the line before it was changed, so name that one.
    return prev ? at(prev, 'edited', `line ${prev.line} (seq ${prev.seq}) was changed: its hash no longer matches the prev of the line after it`) : at(place, 'edited', 'the first line\'s prev is not the zero hash');
  }
  if (value.seq < expected) return at(place, 'reordered', `seq ${value.seq} comes after seq ${expected - 1}: lines were swapped, moved or duplicated`);
  // seq jumped ahead. With a matching prev only this line's seq can have changed.
  if (value.prev === prevHash) return at(place, 'edited', `seq jumps from ${expected - 1} to ${value.seq} although prev matches: this line's seq was changed`);
  return { gap: { from: expected, to: value.seq - 1, at: place } };
}

function checkHead(head: HeadRead, last: Place | null, seen: Place | null, lastFile: { name: string; lines: number } | null, records: number): JournalProblem | null {
  if (head.kind === 'invalid') return { kind: 'malformed', file: HEAD_FILE, line: 1, message: head.message };
  if (head.kind === 'missing') {
    if (records === 0) return null;
    return { kind: 'truncated', file: HEAD_FILE, line: 1, message: `${HEAD_FILE} is missing, so lines removed from the end cannot be ruled out` };
  }
  const { seq, file, hash } = head.head;
  const lastSeq = last?.seq ?? 0;
  if (seq > lastSeq) {
    const message = `${HEAD_FILE} records seq ${seq} in ${file}, but the journal ends at seq ${lastSeq}: ${seq - lastSeq} line(s) were removed from the end`;
    if (!lastFile || file > lastFile.name) return { kind: 'truncated', file, line: 1, seq: lastSeq + 1, message: `${message} (${file} is missing)` };
    return { kind: 'truncated', file: lastFile.name, line: lastFile.lines + 1, seq: lastSeq + 1, message };
  }
  if (seen && seen.hash !== hash) return at(seen, 'edited', `line ${seen.line} (seq ${seen.seq}) was changed: its hash no longer matches ${HEAD_FILE}`);
  return null;
}

function removedMessage(gap: Gap): string {
  const count = gap.to - gap.from + 1;
  const seqs = count === 1 ? `seq ${gap.from} is` : `seqs ${gap.from}..${gap.to} are`;
  if (gap.from === 1) return `the journal starts at seq ${gap.at.seq}: ${seqs} missing (the first line(s) or file(s) were removed)`;
  return `${seqs} missing before this line: ${count} line(s)${gap.at.line === 1 ? ' or a whole file' : ''} were removed`;
}

function at(place: Place, kind: JournalProblemKind, message: string): JournalProblem {
  return { kind, file: place.file, line: place.line, seq: place.seq, message };
}

function parseSeq(bytes: Buffer): number | null {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return isJournalLine(value) ? value.seq : null;
  } catch {
    return null;
  }
}
