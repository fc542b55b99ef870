import { BUILTIN_RULES } from '../policy/builtin-rules/all-builtin-rules.ts';
import { compileRedactor } from '../policy/redact.ts';
import type { RedactionRuleSpec } from '../policy/redaction-rule.ts';
import { defaultReplacement } from '../policy/redaction-rule.ts';
import { expandReplacement, parseReplacement } from '../policy/replacement.ts';
import { codeCorpus } from './corpus.ts';
import { median } from './measure.ts';

/**
 * Redaction throughput: built-in plus 20 custom rules over a 10 MB code corpus with planted secrets,
 * with aigate's engine (native RE2, RE2.Set prefilter, then per-rule replace) and with a plain JS
 * RegExp loop over the same rules, in the same run. Aims: ratio ≥ 1.0; one 100 KB string ≤ 2 ms.
 */
const CUSTOM: RedactionRuleSpec[] = Array.from({ length: 20 }, (_, i) => ({
  id: `custom-${i}`,
  pattern: i % 2 === 0 ? `(INTERNAL_TOKEN_${i}\\s*=\\s*)\\S+` : `acme_${i}_[a-z0-9]{24}`,
  ...(i % 2 === 0 ? { replacement: `\${1}[REDACTED:custom-${i}]` } : {}),
}));
const rules = [...BUILTIN_RULES, ...CUSTOM];
const secrets = [...BUILTIN_RULES.flatMap((r) => r.examples.positive.map((p) => p.text)), 'INTERNAL_TOKEN_4 = abcdef', `acme_7_${'a1'.repeat(12)}`];
const { files, planted } = codeCorpus(10 * 1024 * 1024, 10 * 1024, secrets, 50);
const totalMb = files.reduce((n, f) => n + Buffer.byteLength(f), 0) / 1e6;

/** RE2 syntax → JS RegExp: `(?i)` prefix becomes a flag, `(?P<` becomes `(?<`. Rules JS cannot run are skipped. */
function toJs(rule: RedactionRuleSpec): { re: RegExp; template: ReturnType<typeof parseReplacement>; id: string } | undefined {
  let source = rule.pattern.replaceAll('(?P<', '(?<');
  let flags = 'gu';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags += 'i';
  }
  try {
    return { re: new RegExp(source, flags), template: parseReplacement(rule.replacement ?? defaultReplacement(rule.id)), id: rule.id };
  } catch {
    return undefined;
  }
}
const jsRules = rules.map(toJs).filter((r) => r !== undefined);

function jsRedact(text: string): string {
  let out = text;
  for (const rule of jsRules) out = out.replace(rule.re, (...args: unknown[]) => expandReplacement(rule.template, args as (string | undefined)[], (args.at(-1) ?? undefined) as Record<string, string> | undefined));
  return out;
}

const redactor = compileRedactor(rules);
const time = (fn: () => void) => {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

let re2Hits = 0;
const re2Ms: number[] = [];
const jsMs: number[] = [];
for (let round = 0; round < 3; round++) {
  re2Ms.push(time(() => {
    re2Hits = 0;
    for (const f of files) re2Hits += Object.values(redactor.redact(f).counts).reduce((a, b) => a + b, 0);
  }));
  jsMs.push(time(() => {
    for (const f of files) jsRedact(f);
  }));
}

/** Median time to redact one 100 KB string, planted with a secret every `every` lines. */
const oneString = (every: number) => {
  const text = codeCorpus(200 * 1024, 100 * 1024, secrets, every, 7).files[0]!.slice(0, 100 * 1024);
  return median(Array.from({ length: 200 }, () => time(() => redactor.redact(text))));
};
const dense = oneString(50);
const sparse = oneString(1000);
const clean = oneString(Number.MAX_SAFE_INTEGER);

const re2Rate = totalMb / (median(re2Ms) / 1000);
const jsRate = totalMb / (median(jsMs) / 1000);
console.log(`corpus: ${files.length} files, ${totalMb.toFixed(1)} MB, ${planted} planted secrets; rules: ${BUILTIN_RULES.length} built-in + ${CUSTOM.length} custom (${jsRules.length} runnable as JS RegExp)`);
console.log(`aigate RE2 + Set prefilter  ${re2Rate.toFixed(1)} MB/s  (median of 3, ${re2Hits} replacements)`);
console.log(`plain JS RegExp loop        ${jsRate.toFixed(1)} MB/s  (median of 3)`);
console.log(`ratio RE2 / JS              ${(re2Rate / jsRate).toFixed(2)} (aim ≥ 1.0)`);
console.log(`one 100 KB string (median of 200, aim ≤ 2 ms): ${dense.toFixed(2)} ms with a secret every 50 lines, ${sparse.toFixed(2)} ms every 1000 lines, ${clean.toFixed(2)} ms clean`);
