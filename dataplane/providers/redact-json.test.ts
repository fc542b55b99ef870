import { describe, expect, it } from 'vitest';
import { compileRedactor } from '../../policy/redact.ts';
import { MAX_JSON_DEPTH, redactJson } from './redact-json.ts';

const redactor = compileRedactor([{ id: 'pw', pattern: 'hunter2\\w*', replacement: '[REDACTED:pw]' }]);

describe('redactJson', () => {
  it('redacts every string value at any depth and counts by rule id', () => {
    const body = JSON.parse('{"system":"pw hunter2a","messages":[{"content":[{"type":"tool_result","content":"x hunter2b"}]}],"n":1,"hunter2key":true,"unknown_field":{"deep":["hunter2c"]}}');
    const counts: Record<string, number> = {};
    redactJson(body, redactor, counts);
    expect(JSON.stringify(body)).not.toMatch(/hunter2[abc]/);
    expect(body.hunter2key).toBe(true);
    expect(counts).toEqual({ pw: 3 });
  });

  it('redacts a "__proto__" member instead of leaving it for the serialiser (prototype setter bypass)', () => {
    const body = JSON.parse('{"__proto__":"hunter2secret","a":{"__proto__":["hunter2nested"]}}');
    redactJson(body, redactor, {});
    const out = JSON.stringify(body);
    expect(out).not.toContain('hunter2secret');
    expect(out).not.toContain('hunter2nested');
    expect(out).toContain('[REDACTED:pw]');
  });

  it('refuses absurd nesting with a request error rather than a stack overflow', () => {
    const deep = JSON.parse('['.repeat(MAX_JSON_DEPTH + 5) + ']'.repeat(MAX_JSON_DEPTH + 5));
    expect(() => redactJson(deep, redactor, {})).toThrow(/nests deeper/);
  });
});
