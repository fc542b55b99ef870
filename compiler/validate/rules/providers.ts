import { isProviderId } from '../../../policy/providers.ts';
import { toPointer } from '../../diagnostics.ts';
import { isObj, list } from '../policy-walk.ts';
import type { PolicyRule } from '../rule-context.ts';

/** Providers listed in an .aiconfig or group entry that the organisation does not enable are dead letters. */
export const providers: PolicyRule = function providers(ctx) {
  const orgProviders = ctx.kind === 'org-policy' ? ctx.value : ctx.org;
  if (!isObj(orgProviders)) return;
  const map = orgProviders['providers'];
  const enabled = new Set(isObj(map) ? Object.entries(map).filter(([, s]) => isObj(s) && s['enabled'] === true).map(([id]) => id) : []);
  const check = (path: (string | number)[], id: unknown, whose: string) => {
    if (!isProviderId(id) || enabled.has(id)) return;
    ctx.report({
      code: 'provider_not_enabled_by_org',
      severity: 'warning',
      pointer: toPointer(path),
      message: `provider "${id}" is not enabled by the organisation policy, so ${whose} cannot use it`,
      hint: `requests to ${id} will be denied (provider_not_allowed); enabled providers: ${[...enabled].join(', ') || 'none'}`,
    });
  };
  if (ctx.kind === 'aiconfig') {
    const access = isObj(ctx.value) ? ctx.value['ai_access'] : undefined;
    if (isObj(access)) list(access['allowed_providers']).forEach((id, i) => check(['ai_access', 'allowed_providers', i], id, 'this repository'));
    return;
  }
  list(isObj(ctx.value) ? ctx.value['groups'] : undefined).forEach((entry, gi) => {
    if (isObj(entry)) list(entry['providers']).forEach((id, i) => check(['groups', gi, 'providers', i], id, 'this group'));
  });
};
