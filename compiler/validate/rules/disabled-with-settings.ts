import { isObj } from '../policy-walk.ts';
import type { PolicyRule } from '../rule-context.ts';

/** `enabled: false` denies everything, so any other setting beside it is probably a mistake. */
export const disabledWithSettings: PolicyRule = function disabledWithSettings(ctx) {
  if (ctx.kind !== 'aiconfig' || !isObj(ctx.value)) return;
  const access = ctx.value['ai_access'];
  if (!isObj(access) || access['enabled'] !== false) return;
  const providers = access['allowed_providers'];
  if (Array.isArray(providers) && providers.length > 0) {
    ctx.report({
      code: 'disabled_with_settings',
      severity: 'warning',
      pointer: '/ai_access/allowed_providers',
      at: 'key',
      message: 'ai_access is disabled, so allowed_providers has no effect',
      hint: 'set "enabled: true" to let these providers in, or remove the list',
    });
  }
};
