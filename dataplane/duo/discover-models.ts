/** A model name GitLab's metadata mentions, with the provider family that serves it when known. */
export interface DiscoveredModel {
  readonly id: string;
  readonly provider: 'anthropic' | 'openai' | undefined;
}

/** `claude…` is Anthropic's, `gpt…`/`o1…`/`o3…`/`o4…`/`codex…` OpenAI's; anything else is not routable by name. */
export function providerOfModel(name: string): 'anthropic' | 'openai' | undefined {
  const n = name.toLowerCase();
  if (n.startsWith('claude')) return 'anthropic';
  if (/^(gpt|o[134]\b|o[134]-|codex)/.test(n)) return 'openai';
  return undefined;
}

function providerOf(value: unknown, name: string): 'anthropic' | 'openai' | undefined {
  const p = typeof value === 'string' ? value.toLowerCase() : '';
  if (p === 'anthropic') return 'anthropic';
  if (p === 'openai') return 'openai';
  return providerOfModel(name);
}

const LIST_KEYS = ['models', 'supported_models', 'discovered_models'];

/**
 * Model names from a direct_access answer: `model_details`, top-level `model_provider`/`model_name`,
 * and any `models` / `supported_models` / `discovered_models` (objects with `model_name`/`name` and
 * `model_provider`/`provider`, nested lists, plain strings). De-duplicated case-insensitively, in
 * order of appearance. GitLab currently sends only `model_details`, and only from code_suggestions
 * (where it names the code-completion model); the rest is read in case later versions send it.
 */
export function discoverModels(metadata: Readonly<Record<string, unknown>>): DiscoveredModel[] {
  const out: DiscoveredModel[] = [];
  const seen = new Set<string>();
  const add = (name: unknown, provider: unknown): void => {
    if (typeof name !== 'string') return;
    const id = name.trim();
    if (id === '' || id.length > 200 || seen.has(id.toLowerCase())) return;
    seen.add(id.toLowerCase());
    out.push({ id, provider: providerOf(provider, id) });
  };
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4) return;
    if (typeof value === 'string') return add(value, undefined);
    if (Array.isArray(value)) return value.forEach((v) => visit(v, depth + 1));
    if (typeof value !== 'object' || value === null) return;
    const o = value as Record<string, unknown>;
    add(o['model_name'] ?? o['name'], o['model_provider'] ?? o['provider']);
    for (const key of LIST_KEYS) if (key in o) visit(o[key], depth + 1);
  };
  visit(metadata['model_details'], 0);
  add(metadata['model_name'], metadata['model_provider']);
  for (const key of LIST_KEYS) visit(metadata[key], 0);
  return out;
}
