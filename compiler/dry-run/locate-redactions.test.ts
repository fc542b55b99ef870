import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES } from '../../policy/builtin-rules/all-builtin-rules.ts';
import { compileRedactor } from '../../policy/redact.ts';
import { findRedactions } from './locate-redactions.ts';

const redactor = compileRedactor(BUILTIN_RULES);

describe('findRedactions', () => {
  it('locates every built-in rule example at its secret, names the rules that fired and shows at most six characters', () => {
    for (const rule of BUILTIN_RULES) {
      for (const { text, secret } of rule.examples.positive) {
        const file = `// header line\n${text}\nconst after = 1;\n`;
        const { counts, findings } = findRedactions(file, redactor);
        expect(findings.length, `${rule.id}: ${text}`).toBeGreaterThan(0);
        // The rules named are exactly those the redactor counted (an earlier, more specific rule may win).
        expect(new Set(findings.flatMap((f) => f.rules)), rule.id).toEqual(new Set(Object.keys(counts)));
        const offset = file.indexOf(secret);
        const line = file.slice(0, offset).split('\n').length;
        // A finding starts on the secret's line, or a few lines above (a PEM block starts at its BEGIN line).
        expect(findings.some((f) => f.line <= line && line - f.line <= 5), rule.id).toBe(true);
        for (const f of findings) {
          expect(f.preview.replace(/\*{4}$/, '').length, rule.id).toBeLessThanOrEqual(6);
          if (secret.length >= 12) expect(secret.includes(f.preview), rule.id).toBe(false);
        }
      }
    }
  });

  it('finds nothing in clean text, without locating anything', () => {
    expect(findRedactions('export const a = 1;\n', redactor)).toEqual({ counts: {}, findings: [] });
  });

  it('reports two secrets on one line separately with their columns', () => {
    const gitlab = BUILTIN_RULES.find((r) => r.id === 'gitlab-pat')?.examples.positive[0]?.secret ?? '';
    const github = BUILTIN_RULES.find((r) => r.id === 'github-pat')?.examples.positive[0]?.secret ?? '';
    const { findings } = findRedactions(`a ${gitlab} b ${github}\n`, redactor);
    expect(findings.map((f) => [f.rules, f.line, f.column])).toEqual([[['gitlab-pat'], 1, 3], [['github-pat'], 1, 3 + gitlab.length + 3]]);
  });
});
