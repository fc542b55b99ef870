import type { BundleStore } from '../bundle/bundle-store.ts';
import type { Stage } from '../pipeline/run-pipeline.ts';
import { redactJson } from '../providers/redact-json.ts';
import type { ProviderRoute } from '../providers/route-table.ts';
import { toolExchange } from '../providers/tool-calls.ts';
import { withholdExcluded } from '../providers/withhold.ts';

/**
 * redact: first withholds tool results that carry an excluded file (an agent's Read or `cat` of
 * `.env`), then runs the effective redaction rules over every string in the body. Both edit the
 * parsed body in place; only ids, counts and paths reach the context for the audit.
 */
export function scrubBody(route: ProviderRoute, store: BundleStore): Stage {
  return function scrubBody(ctx) {
    const decision = ctx.decision;
    if (!ctx.body || !decision?.allow) return undefined;
    const withheld = withholdExcluded(toolExchange(route.api, ctx.body), store.current(), {
      ...(ctx.project ? { project: { id: ctx.project.id, path: ctx.project.path } } : {}),
      ...(ctx.provider ? { provider: ctx.provider } : {}),
    });
    for (const w of withheld) ctx.withheld.push(w.path);
    redactJson(ctx.body, decision.ruleSet.redactor, ctx.redactions);
    return undefined;
  };
}
