import { describe, expect, it } from 'vitest';
import { compileRedactor } from './redact.ts';

const TOKEN = 'glpat-aB3dE5fG7hJ9kL1mN2pQ';

describe('compileRedactor', () => {
  const redactor = compileRedactor([
    { id: 'gitlab-pat', pattern: 'glpat-[0-9A-Za-z_-]{20}' },
    { id: 'password-assignment', pattern: 'password.*=.*', replacement: 'password=REDACTED' },
    { id: 'kv', pattern: '(?P<key>api_key)\\s*:\\s*(\\S+)', replacement: '${key}: <hidden-$1>' },
  ]);

  it('replaces with [REDACTED:<id>] by default and counts per rule', () => {
    expect(redactor.redact(`a ${TOKEN} b ${TOKEN}`)).toEqual({ text: 'a [REDACTED:gitlab-pat] b [REDACTED:gitlab-pat]', counts: { 'gitlab-pat': 2 } });
  });

  it('applies the seed rule: a password line comes back as password=REDACTED', () => {
    expect(redactor.redact('db = connect()\npassword = "hunter2"\nport = 5432').text).toBe('db = connect()\npassword=REDACTED\nport = 5432');
  });

  it('expands numbered and named groups', () => {
    expect(redactor.redact('api_key: abc123').text).toBe('api_key: <hidden-api_key>');
  });

  it('keeps correct offsets after astral characters (no secret character leaks)', () => {
    const text = `🚀🚀 token ${TOKEN} end 👩‍👩‍👧`;
    expect(redactor.redact(text).text).toBe('🚀🚀 token [REDACTED:gitlab-pat] end 👩‍👩‍👧');
  });

  it('leaves clean text untouched and reports no counts', () => {
    expect(redactor.redact('nothing to see here')).toEqual({ text: 'nothing to see here', counts: {} });
  });

  it('is idempotent and does not count re-matching its own output', () => {
    const once = redactor.redact(`password = x ${TOKEN}`);
    const twice = redactor.redact(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.counts).toEqual({});
  });

  it('runs another pass when one rule completes another rule\'s match', () => {
    // Rule a rewrites "x" to "yy"; rule b (earlier in order) matches "yy". One pass would leave "yy".
    const chained = compileRedactor([
      { id: 'b', pattern: 'yy', replacement: 'Z' },
      { id: 'a', pattern: 'x', replacement: 'yy' },
    ]);
    expect(chained.redact('x').text).toBe('Z');
    expect(chained.redact(chained.redact('x').text).text).toBe('Z');
  });

  it('stops a self-feeding rule after a bounded number of passes', () => {
    const feeding = compileRedactor([{ id: 'grow', pattern: 'a', replacement: 'aa' }]);
    expect(feeding.redact('a').text).toBe('a'.repeat(16));
  });

  it('accumulates counts across the strings of one request', () => {
    const counts = {};
    redactor.redactInto(TOKEN, counts);
    redactor.redactInto(`x ${TOKEN}`, counts);
    expect(counts).toEqual({ 'gitlab-pat': 2 });
  });

  it('gives the same result through the Buffer path for long texts (emoji, named groups, counts)', () => {
    const pad = '🚀 é '.repeat(5000);
    const text = `${pad} api_key: abc123 ${TOKEN} password = x\n${pad} ${TOKEN}`;
    const long = redactor.redact(text);
    expect(long.text).toBe(`${pad} api_key: <hidden-api_key> [REDACTED:gitlab-pat] password=REDACTED\n${pad} [REDACTED:gitlab-pat]`);
    expect(long.counts).toEqual({ 'gitlab-pat': 2, kv: 1, 'password-assignment': 1 });
    expect(text.length).toBeGreaterThan(16 * 1024);
  });

  it('handles large inputs (no 6 MiB ceiling as in re2-wasm)', () => {
    const big = `${'a'.repeat(8 * 1024 * 1024)} ${TOKEN}`;
    expect(redactor.redact(big).counts).toEqual({ 'gitlab-pat': 1 });
  });

  it('treats an empty rule list as a no-op', () => {
    expect(compileRedactor([]).redact(TOKEN)).toEqual({ text: TOKEN, counts: {} });
  });

  it('refuses a pattern RE2 cannot run (fail closed at activation)', () => {
    expect(() => compileRedactor([{ id: 'bad', pattern: '(?=x)' }])).toThrow();
  });
});

describe('chunked redaction of long texts', () => {
  const redactor = compileRedactor([
    { id: 'gitlab-pat', pattern: 'glpat-[0-9A-Za-z_-]{20}' },
    { id: 'pem', pattern: '-----BEGIN PRIVATE KEY-----[\\s\\S]*?-----END PRIVATE KEY-----' },
  ]);

  it('catches a match that spans a chunk boundary', () => {
    const filler = `${'x'.repeat(79)}\n`.repeat(50);
    const pem = `-----BEGIN PRIVATE KEY-----\n${'QUJD'.repeat(300)}\n${'REVG'.repeat(300)}\n-----END PRIVATE KEY-----`;
    const text = `${filler}${pem}\n${filler}`;
    const out = redactor.redact(text);
    expect(out.text).toBe(`${filler}[REDACTED:pem]\n${filler}`);
    expect(out.counts).toEqual({ pem: 1 });
  });

  it('catches a token cut by a boundary inside a very long line', () => {
    const long = `${'a '.repeat(2047)}b`;
    const text = `${long}glpat-aB3dE5fG7hJ9kL1mN2pQ ${long}`;
    expect(redactor.redact(text).text).toBe(`${long}[REDACTED:gitlab-pat] ${long}`);
  });

  it('counts each secret once across chunks', () => {
    const line = 'token glpat-aB3dE5fG7hJ9kL1mN2pQ here\n';
    expect(redactor.redact(line.repeat(1000)).counts).toEqual({ 'gitlab-pat': 1000 });
  });
});
