import { lintGlob, type GlobProblemKind } from '../../../policy/glob-lint.ts';
import type { DiagnosticCode } from '../../codes.ts';
import { globsOf } from '../policy-walk.ts';
import type { PolicyRule } from '../rule-context.ts';

const CODE: Readonly<Record<GlobProblemKind, DiagnosticCode>> = {
  nul: 'glob_nul',
  negation: 'glob_negation',
  absolute: 'glob_absolute',
  parent_segment: 'glob_parent_segment',
  too_complex: 'glob_too_complex',
  backslash: 'glob_backslash',
};

/** Shape checks on every file and project glob (see policy/glob-lint.ts for the attacks each stops). */
export const globs: PolicyRule = function globs(ctx) {
  for (const entry of globsOf(ctx.kind, ctx.value)) {
    for (const problem of lintGlob(entry.glob)) {
      ctx.report({ code: CODE[problem.kind], severity: problem.severity, pointer: entry.pointer, message: problem.message, hint: problem.hint, index: problem.index });
    }
  }
};
