import { decide } from '../../policy/decide.ts';
import { DataplaneError } from '../codes.ts';
import type { BundleStore } from '../bundle/bundle-store.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';

/**
 * decide: the kernel's `decide()` on the active bundle, with the canonical project GitLab returned
 * (never the path as the client spelled it). A denial carries the reason code and the rule.
 */
export function decidePolicy(store: BundleStore): Stage {
  return function decidePolicy(ctx) {
    const decision = decide(store.current(), {
      ...(ctx.project ? { project: { id: ctx.project.id, path: ctx.project.path } } : {}),
      ...(ctx.provider ? { provider: ctx.provider } : {}),
      ...(ctx.file !== undefined ? { file: ctx.file } : {}),
    });
    ctx.decision = decision;
    if (!decision.allow) return new DataplaneError(decision.reason, decision.message);
    if (decision.file !== undefined) ctx.file = decision.file;
    ctx.unscoped = decision.unscoped;
    return undefined;
  };
}
