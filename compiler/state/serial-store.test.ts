import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextSerial } from './serial-store.ts';

describe('nextSerial', () => {
  it('persists the serial on disk, so a second compiler process never reuses it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aigate-serial-')), 'state', 'compiler.json');
    const first = await nextSerial(file, 10);
    expect(first).toBe(10);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ serial: 10 });
    // The clock went backwards (or another runner has a slow clock): still strictly increasing.
    expect(await nextSerial(file, 5)).toBe(11);
    expect(await nextSerial(file, 1000)).toBe(1000);
  });
});
