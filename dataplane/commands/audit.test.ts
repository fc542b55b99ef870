import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../cli/io.ts';
import { runCli } from '../../cli/main.ts';
import { tempDir } from '../../test/helpers/temp-dir.ts';
import { auditRecord } from '../audit/audit-fixtures.ts';
import { openJournal } from '../audit/journal.ts';
import { auditCommand } from './audit.ts';
import { runAuditTail } from './audit-tail.ts';

const FILE = 'audit-2025-03-04.jsonl';
const COMMANDS = { audit: { summary: 'audit journal', load: async () => auditCommand } };

async function journal(count: number): Promise<string> {
  const dir = tempDir();
  const j = await openJournal({ dir, now: () => new Date('2025-03-04T10:00:00Z'), fsync: false });
  for (let i = 1; i <= count; i++) {
    j.append(
      i % 2 === 0
        ? auditRecord(i, { decision: 'deny', status: 403, reason: 'provider_not_allowed', provider: 'openai', model: 'gpt-5\u001b[31m', redactions: { aws_access_key: 2, github_token: 1 } })
        : auditRecord(i, { user: null, repo: null }),
    );
  }
  await j.close();
  return dir;
}

async function run(args: string[], cwd = process.cwd()) {
  const io = bufferIo({ cwd });
  const code = await runCli(args, io, COMMANDS);
  return { code, out: io.out(), err: io.err() };
}

describe('aigate audit verify', () => {
  it('exits 0 for an intact journal', async () => {
    const dir = await journal(3);
    const r = await run(['audit', 'verify', dir]);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe('✔ audit journal intact: 3 record(s) in 1 file(s), last seq 3\n');
  });

  it('exits 1 and prints file:line kind message for the first problem', async () => {
    const dir = await journal(3);
    const path = join(dir, FILE);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"req-2"', '"req-X"'));
    const r = await run(['audit', 'verify', dir]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toBe(`${FILE}:2 edited line 2 (seq 2) was changed: its hash no longer matches the prev of the line after it`);
    const json = await run(['audit', 'verify', dir, '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, problem: { kind: 'edited', file: FILE, line: 2, seq: 2 } });
  });

  it('resolves DIR against the working directory', async () => {
    const dir = await journal(1);
    expect((await run(['audit', 'verify', '.'], dir)).code).toBe(0);
  });

  it('exits 2 for usage errors', async () => {
    const dir = await journal(1);
    for (const args of [['audit'], ['audit', 'frobnicate'], ['audit', 'verify'], ['audit', 'verify', dir, dir], ['audit', 'verify', dir, '--format', 'xml'], ['audit', 'verify', join(dir, 'missing')], ['audit', 'verify', join(dir, FILE)], ['audit', 'verify', dir, '--bogus']]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(/^aigate audit/);
    }
    expect((await run(['audit', '--help'])).code).toBe(0);
    expect((await run(['audit', 'verify', '--help'])).out).toContain('usage: aigate audit verify');
  });
});

describe('aigate audit tail', () => {
  it('prints one text line per record with the fields an operator needs, escaping control characters', async () => {
    const dir = await journal(12);
    const r = await run(['audit', 'tail', dir, '-n', '2']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        '2025-03-04T10:00:00.000Z allow 200 user=- repo=- provider=anthropic model=claude-sonnet-4 route=/anthropic/v1/messages reason=- redactions=- id=req-11',
        '2025-03-04T10:00:00.000Z deny  403 user=alice repo=group/app provider=openai model=gpt-5\\u001b[31m route=/anthropic/v1/messages reason=provider_not_allowed redactions=aws_access_key:2,github_token:1 id=req-12',
        '',
      ].join('\n'),
    );
    expect((await run(['audit', 'tail', dir])).out.split('\n')).toHaveLength(11);
  });

  it('prints journal lines as JSON with --format json', async () => {
    const dir = await journal(3);
    const r = await run(['audit', 'tail', dir, '--lines', '1', '--format', 'json']);
    const line = JSON.parse(r.out);
    expect(line).toMatchObject({ seq: 3, record: { request_id: 'req-3' } });
    expect(line.prev).toMatch(/^[0-9a-f]{64}$/);
  });

  it('follows until its signal ends it, then exits 0', async () => {
    const dir = await journal(1);
    const io = bufferIo();
    const controller = new AbortController();
    const done = runAuditTail([dir, '-f', '-n', '1', '--format', 'json'], io, controller.signal);
    const j = await openJournal({ dir, now: () => new Date('2025-03-04T11:00:00Z'), fsync: false });
    j.append(auditRecord(2));
    await j.close();
    for (const end = Date.now() + 5000; io.out().split('\n').length < 3; await sleep(10)) if (Date.now() > end) throw new Error(io.out());
    controller.abort();
    expect(await done).toBe(0);
    expect(io.out().trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([1, 2]);
  });

  it('exits 2 for a bad -n', async () => {
    const dir = await journal(1);
    for (const n of ['-1', 'x', '1.5']) expect((await run(['audit', 'tail', dir, '-n', n])).code).toBe(2);
  });
});
