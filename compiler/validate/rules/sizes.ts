import { formatSize, parseSize } from '../../../policy/size.ts';
import { isObj, sizesOf } from '../policy-walk.ts';
import type { PolicyRule } from '../rule-context.ts';

/** Sizes must parse; with an org policy, a repo limit above the org's has no effect (warning). */
export const sizes: PolicyRule = function sizes(ctx) {
  const orgLimit = isObj(ctx.org) ? parseSize(ctx.org['max_file_size']) : undefined;
  for (const { pointer, size } of sizesOf(ctx.kind, ctx.value)) {
    const bytes = parseSize(size);
    if (bytes === undefined) {
      // Wrong types are the schema's finding; only strings and numbers reach this rule.
      if (typeof size !== 'string' && typeof size !== 'number') continue;
      ctx.report({
        code: 'size_invalid',
        pointer,
        message: `cannot read the size ${JSON.stringify(size)}`,
        hint: 'write bytes (102400) or a number with a unit: 100kb, 1.5mb, 2MiB (kb/mb/gb are powers of 1000, kib/mib/gib of 1024)',
      });
    } else if (ctx.kind === 'aiconfig' && orgLimit !== undefined && bytes > orgLimit) {
      ctx.report({
        code: 'size_above_org',
        severity: 'warning',
        pointer,
        message: `max_file_size ${formatSize(bytes)} is above the organisation's ${formatSize(orgLimit)}, so the organisation's limit applies`,
        hint: 'a repository can only lower the limit',
      });
    }
  }
};
