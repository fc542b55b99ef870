import { describe, expect, it } from 'vitest';
import { RE2 } from '../re2.ts';
import { compileRedactor } from '../redact.ts';
import { defaultReplacement } from '../redaction-rule.ts';
import { captureGroups, checkPattern } from '../regex-check.ts';
import { expandReplacement, parseReplacement, unresolvedReferences } from '../replacement.ts';
import { BUILTIN_RULE_IDS, BUILTIN_RULES } from './all-builtin-rules.ts';
import type { BuiltinRule } from './builtin-rule.ts';
import { fakePem, fakeSecret } from './fake-secret.ts';

/** Replaces every match of one rule, expanding its template as the engine does. */
function applyRule(rule: BuiltinRule, text: string): string {
  const template = parseReplacement(rule.replacement ?? defaultReplacement(rule.id));
  const { count } = captureGroups(rule.pattern);
  return text.replace(new RE2(rule.pattern, 'gu'), (...args: unknown[]) => {
    const last = args[args.length - 1];
    const named = typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : undefined;
    return expandReplacement(template, args.slice(0, count + 1) as (string | undefined)[], named);
  });
}

function matches(rule: BuiltinRule, text: string): boolean {
  return new RE2(rule.pattern, 'u').test(text);
}

const redactor = compileRedactor(BUILTIN_RULES);
const positives = BUILTIN_RULES.flatMap((rule) => rule.examples.positive.map((example) => ({ id: rule.id, rule, ...example })));
const negatives = BUILTIN_RULES.flatMap((rule) => rule.examples.negative.map((text) => ({ id: rule.id, rule, text })));

/** How each generic rule's output looks in context; no rule may fire on any of these again. */
const OUTPUT_CONTEXTS = [
  (marker: string) => marker,
  (marker: string) => `password = "${marker}"`,
  (marker: string) => `"api_key": "${marker}"`,
  (marker: string) => `DB_PASSWORD=${marker}`,
  (marker: string) => `token: ${marker}`,
  (marker: string) => `<password>${marker}</password>`,
  (marker: string) => `postgres://app:${marker}@db/x`,
  (marker: string) => `Authorization: Bearer ${marker}`,
  (marker: string) => `machine h login u password ${marker}`,
  (marker: string) => `//registry.example.com/:_authToken=${marker}`,
];

describe('the built-in rule set', () => {
  it('has at least 65 rules with unique, well-formed ids', () => {
    expect(BUILTIN_RULES.length).toBeGreaterThanOrEqual(65);
    expect(new Set(BUILTIN_RULE_IDS).size).toBe(BUILTIN_RULE_IDS.length);
    for (const id of BUILTIN_RULE_IDS) expect(id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });

  it('compiles into one RE2.Set, as the redactor prefilter does', () => {
    const set = new RE2.Set(BUILTIN_RULES.map((r) => r.pattern), 'u');
    expect(set.size).toBe(BUILTIN_RULES.length);
  });

  it('puts the context-based generic rules after every specific rule', () => {
    const firstGeneric = BUILTIN_RULE_IDS.findIndex((id) => id === 'url-credentials');
    expect(BUILTIN_RULE_IDS.slice(firstGeneric).every((id) => !id.startsWith('gitlab-'))).toBe(true);
    expect(BUILTIN_RULE_IDS.indexOf('gcp-service-account-private-key')).toBeLessThan(BUILTIN_RULE_IDS.indexOf('private-key'));
    expect(BUILTIN_RULE_IDS.indexOf('private-key')).toBeLessThan(BUILTIN_RULE_IDS.indexOf('private-key-unterminated'));
    expect(BUILTIN_RULE_IDS.at(-1)).toMatch(/^generic-/);
  });
});

describe.each(BUILTIN_RULES.map((rule) => [rule.id, rule] as const))('rule %s', (id, rule) => {
  it('is documented by a description and both kinds of example', () => {
    expect(rule.description.trim()).not.toBe('');
    expect(rule.examples.positive.length).toBeGreaterThanOrEqual(1);
    expect(rule.examples.negative.length).toBeGreaterThanOrEqual(1);
  });

  it('is RE2-safe and cannot match empty text', () => {
    expect(checkPattern(rule.pattern)).toBeUndefined();
  });

  it('has a replacement that only references groups the pattern defines and names the rule', () => {
    const template = rule.replacement ?? defaultReplacement(id);
    expect(unresolvedReferences(parseReplacement(template), captureGroups(rule.pattern))).toEqual([]);
    expect(template).toContain(`[REDACTED:${id}]`);
  });
});

describe('positive examples', () => {
  it.each(positives)('$id fires and removes its secret: $text', ({ rule, text, secret }) => {
    expect(text).toContain(secret);
    expect(matches(rule, text)).toBe(true);
    const redacted = applyRule(rule, text);
    expect(redacted).not.toContain(secret);
    expect(redacted).toContain(`[REDACTED:${rule.id}]`);
  });

  it.each(positives)('the whole set is idempotent on the $id example $text', ({ text, secret }) => {
    const once = redactor.redact(text);
    expect(once.text).not.toContain(secret);
    const twice = redactor.redact(once.text);
    expect(twice.text).toBe(once.text);
    expect(twice.counts).toEqual({});
  });
});

describe('negative examples', () => {
  it.each(negatives)('$id does not fire on: $text', ({ rule, text }) => {
    expect(matches(rule, text)).toBe(false);
  });
});

describe('replacement output', () => {
  it.each(BUILTIN_RULE_IDS)('no rule matches the marker of %s in any output context', (id) => {
    const marker = defaultReplacement(id);
    for (const context of OUTPUT_CONTEXTS) {
      const text = context(marker);
      const firing = BUILTIN_RULES.filter((rule) => matches(rule, text)).map((rule) => rule.id);
      expect(firing, text).toEqual([]);
    }
  });
});

describe('redaction through the engine', () => {
  const PAT = `glpat-${fakeSecret(20)}`;

  it.each([
    ['keeps scheme, user and host of a database URL', 'postgres://app:s3cret@db/x', 'postgres://app:[REDACTED:url-credentials]@db/x'],
    ['keeps key and quotes of an assignment', 'password = "hunter2"', 'password = "[REDACTED:generic-secret-assignment]"'],
    ['redacts a GitLab token with its instance prefix', `export GITLAB_TOKEN=SIE-${PAT}`, 'export GITLAB_TOKEN=[REDACTED:gitlab-pat]'],
    ['names a token inside an assignment by its own kind', `token: ${PAT}`, 'token: [REDACTED:gitlab-pat]'],
    ['names a token inside a quoted assignment by its own kind', `GITLAB_TOKEN="${PAT}"`, 'GITLAB_TOKEN="[REDACTED:gitlab-pat]"'],
    ['leaves an already redacted value alone', 'token: [REDACTED:gitlab-pat]', 'token: [REDACTED:gitlab-pat]'],
    ['leaves placeholders alone', 'password = "${DB_PASSWORD}"\napiKey = process.env.API_KEY\npassword: string', 'password = "${DB_PASSWORD}"\napiKey = process.env.API_KEY\npassword: string'],
  ])('%s', (_name, input, expected) => {
    expect(redactor.redact(input).text).toBe(expected);
  });

  it('replaces a PEM block spanning several lines entirely', () => {
    const pem = fakePem('RSA ', '\n', 6);
    const text = `before\n${pem}\nafter`;
    const redacted = redactor.redact(text).text;
    expect(redacted).toBe('before\n[REDACTED:private-key]\nafter');
    for (const line of pem.split('\n')) expect(redacted).not.toContain(line);
  });

  it('replaces the JSON-escaped private key of a service-account file, keeping the field', () => {
    const json = `{"type": "service_account", "private_key": "${fakePem('', '\\n')}\\n", "client_email": "ci@p.iam.gserviceaccount.com"}`;
    expect(redactor.redact(json).text).toBe('{"type": "service_account", "private_key": "[REDACTED:gcp-service-account-private-key]", "client_email": "ci@p.iam.gserviceaccount.com"}');
  });

  it('leaves ordinary code and prose untouched', () => {
    const text = [
      'const user = await db.users.find({ where: { email } });',
      'if (!user || !(await verify(user.passwordHash, password))) throw new Unauthorized();',
      'max_tokens: 4096',
      'See https://docs.gitlab.com/user/profile/personal_access_tokens/ for glpat- tokens.',
      'Password: please enter your password below.',
    ].join('\n');
    expect(redactor.redact(text)).toEqual({ text, counts: {} });
  });
});
