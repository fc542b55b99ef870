import type { DiscoveredModel } from './discover-models.ts';
import { DUO_MODEL, isDuoModelName } from './duo-models.ts';

/** One `/v1/models` entry for GitLab Duo. */
export interface DuoModelEntry {
  readonly id: string;
  readonly provider: 'anthropic' | 'openai' | undefined;
  readonly owned_by: 'gitlab';
}

/**
 * Model names GitLab's metadata has mentioned, so a plain `/v1/…` request naming one can be routed
 * to GitLab Duo. There is no catalogue of what a user gets: the names arrive with credentials.
 * Bounded: a GitLab that invents a new name per answer cannot grow it without limit.
 */
export interface DuoModelRegistry {
  register(models: readonly DiscoveredModel[]): void;
  /** `gitlab-duo`, an alias (built-in or configured), or a name some user's metadata mentioned. */
  routesToDuo(model: string): boolean;
  /** What to show one user: `gitlab-duo`, then their discovered models, then configured names. */
  list(discovered: readonly DiscoveredModel[]): DuoModelEntry[];
}

export function createDuoModelRegistry(options: { aliases?: Readonly<Record<string, string>>; configured?: readonly string[]; maxNames?: number } = {}): DuoModelRegistry {
  const aliases = options.aliases ?? {};
  const maxNames = options.maxNames ?? 1000;
  const names = new Set<string>();
  return {
    register(models) {
      for (const m of models) if (m.provider !== undefined && names.size < maxNames) names.add(m.id.toLowerCase());
    },
    routesToDuo: (model) => isDuoModelName(model, aliases) || names.has(model.trim().toLowerCase()),
    list(discovered) {
      const seen = new Set<string>();
      const out: DuoModelEntry[] = [];
      const add = (id: string, provider: 'anthropic' | 'openai' | undefined): void => {
        if (seen.has(id.toLowerCase())) return;
        seen.add(id.toLowerCase());
        out.push({ id, provider, owned_by: 'gitlab' });
      };
      add(DUO_MODEL, undefined);
      for (const m of discovered) if (m.provider !== undefined) add(m.id, m.provider);
      for (const id of options.configured ?? []) add(id, undefined);
      return out;
    },
  };
}
