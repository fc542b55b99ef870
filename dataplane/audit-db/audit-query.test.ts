import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { auditRecord } from '../audit/audit-fixtures.ts';
import { openJournal } from '../audit/journal.ts';
import { matchesQuery, parseTimeBound } from './audit-query.ts';
import { queryJournal } from './query-journal.ts';

describe('audit query filters', () => {
  it('parses relative, day and RFC 3339 bounds, and refuses anything else', () => {
    const now = new Date('2025-03-04T12:00:00Z');
    expect(parseTimeBound('30m', now)?.toISOString()).toBe('2025-03-04T11:30:00.000Z');
    expect(parseTimeBound('7d', now)?.toISOString()).toBe('2025-02-25T12:00:00.000Z');
    expect(parseTimeBound('2025-03-01', now)?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(parseTimeBound('2025-03-01T10:00:00+02:00', now)?.toISOString()).toBe('2025-03-01T08:00:00.000Z');
    for (const bad of ['yesterday', '5', '-1h', '2025-13-01', '2025-03-01 10:00', '1y']) expect(parseTimeBound(bad, now), bad).toBeNull();
  });

  it('matches users by username or email and repos exactly or by group, case-insensitively', () => {
    const r = auditRecord(1, { repo: { id: 1, path: 'Group/Sub/App' } });
    expect(matchesQuery(r, { limit: 1, user: 'ALICE' })).toBe(true);
    expect(matchesQuery(r, { limit: 1, user: 'alice@EXAMPLE.com' })).toBe(true);
    expect(matchesQuery(r, { limit: 1, user: 'ali' })).toBe(false);
    expect(matchesQuery(r, { limit: 1, repo: 'group/sub/app' })).toBe(true);
    expect(matchesQuery(r, { limit: 1, repo: 'group/*' })).toBe(true);
    expect(matchesQuery(r, { limit: 1, repo: 'group/sub' })).toBe(false);
    expect(matchesQuery(r, { limit: 1, repo: 'grou/*' })).toBe(false);
    expect(matchesQuery(auditRecord(2, { user: null, repo: null }), { limit: 1, user: 'alice' })).toBe(false);
  });

  it('finds records written into the next day\'s file (after midnight) and skips files before --since', async () => {
    const dir = tempDir();
    let now = new Date('2025-03-03T23:59:59Z');
    const j = await openJournal({ dir, fsync: false, now: () => now });
    j.append(auditRecord(1, { time: '2025-03-03T12:00:00.000Z' }));
    j.append(auditRecord(2, { time: '2025-03-03T23:59:58.000Z' }));
    await j.flush();
    now = new Date('2025-03-04T00:00:01Z');
    // A long request: arrived before midnight, written after it, so in the 03-04 file but older
    // than the last record of the 03-03 file.
    j.append(auditRecord(3, { time: '2025-03-03T23:59:00.000Z' }));
    j.append(auditRecord(4, { time: '2025-03-04T00:00:00.500Z' }));
    await j.close();
    const ids = async (q: Parameters<typeof queryJournal>[1]) => (await queryJournal(dir, q)).map((r) => r.request_id);
    expect(await ids({ limit: 2 })).toEqual(['req-4', 'req-2']);
    expect(await ids({ limit: 10, since: new Date('2025-03-04T00:00:00Z') })).toEqual(['req-4']);
    expect(await ids({ limit: 10, until: new Date('2025-03-04T00:00:00Z') })).toEqual(['req-2', 'req-3', 'req-1']);
  });
});
