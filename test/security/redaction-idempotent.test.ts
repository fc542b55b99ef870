import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../policy/builtin-rules/all-builtin-rules.ts';
import { compileRedactor } from '../../policy/redact.ts';
import type { RedactionRuleSpec } from '../../policy/redaction-rule.ts';

/** Custom rules of the shapes people write: bare patterns, key-keeping replacements, literal replacements. */
const CUSTOM: readonly RedactionRuleSpec[] = [
  { id: 'password-assignment', pattern: 'password.*=.*', replacement: 'password=REDACTED' },
  { id: 'client-secret', pattern: 'CLIENT_SECRET.*' },
  { id: 'webhook-url', pattern: '(WEBHOOK_URL\\s*=\\s*)\\S+', replacement: '${1}[REDACTED:webhook-url]' },
  { id: 'pan', pattern: '\\b4[0-9]{15}\\b', replacement: '****' },
  { id: 'named', pattern: '(?P<k>session_id)=[a-f0-9]{8,}', replacement: '$<k>=<gone>' },
];

const secrets = BUILTIN_RULES.flatMap((r) => r.examples.positive.map((p) => p.text));
const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...secrets) },
  { weight: 1, arbitrary: fc.constantFrom('password = "hunter2"', 'CLIENT_SECRET=abc', 'WEBHOOK_URL = https://x/y', '4111111111111111', 'session_id=deadbeefcafe') },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('🚀', '👩‍👩‍👧', 'é', '\n', '\t', ' = ', ': ', '"', "'", '[', ']') },
);
const text = fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join(' '));

describe('redaction is idempotent', () => {
  const rulesets = {
    builtin: compileRedactor(BUILTIN_RULES),
    'builtin + custom': compileRedactor([...BUILTIN_RULES, ...CUSTOM]),
  };

  it.each(Object.entries(rulesets))('redacting twice with %s rules changes nothing the second time', (_name, redactor) => {
    fc.assert(
      fc.property(text, (input) => {
        const once = redactor.redact(input);
        const twice = redactor.redact(once.text);
        expect(twice.text).toBe(once.text);
        expect(twice.counts).toEqual({});
      }),
      { numRuns: 1000 },
    );
  });

  it('removes every planted built-in secret', () => {
    const redactor = rulesets['builtin + custom'];
    for (const rule of BUILTIN_RULES) {
      for (const example of rule.examples.positive) {
        expect(redactor.redact(`before ${example.text} after`).text, rule.id).not.toContain(example.secret);
      }
    }
  });
});
