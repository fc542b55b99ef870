import { onTestFinished } from 'vitest';
import type { UpstreamConfig } from '../../dataplane/config/dataplane-config.ts';
import type { ProviderId } from '../../policy/providers.ts';
import { startFakeProvider, type FakeProvider } from '../fake-providers/fake-provider.ts';
import type { FakeProviderOptions } from '../fake-providers/types.ts';
import { startStack, type Stack, type StackOptions } from '../helpers/dataplane-stack.ts';

/** Provider keys of the fake upstream; distinctive so a test can search logs and records for them. */
export const PROVIDER_KEYS = ['sk-fake-ProviderKeyZero-000', 'sk-fake-ProviderKeyOne-111'] as const;

export interface ProviderStack extends Stack {
  readonly provider: FakeProvider;
}

const upstream = (provider: ProviderId, url: string, extra: Partial<UpstreamConfig> = {}): UpstreamConfig => ({
  provider,
  baseUrl: url,
  keys: [...PROVIDER_KEYS],
  auth: provider === 'anthropic' ? 'x-api-key' : 'bearer',
  models: provider === 'anthropic' ? ['claude-fake-opus-4', 'claude-fake-haiku-4'] : provider === 'openai' ? ['gpt-fake-5', 'gpt-fake-5-mini'] : [],
  connectTimeoutMs: 2000,
  firstByteTimeoutMs: 5000,
  idleTimeoutMs: 5000,
  connections: 16,
  ...extra,
});

/**
 * The data plane stack with every provider pointed at one fake provider (Anthropic and OpenAI
 * formats, plus the JSON echo for Copilot and Codeium routes), torn down when the test ends.
 */
export async function startProviderStack(options: StackOptions & { fake?: FakeProviderOptions; maxBodyBytes?: number; upstream?: Partial<UpstreamConfig> } = {}): Promise<ProviderStack> {
  const provider = await startFakeProvider({ keys: [...PROVIDER_KEYS], ...options.fake });
  onTestFinished(() => provider.close());
  const stack = await startStack({
    ...options,
    configure: (base) => {
      const configured = options.configure ? options.configure(base) : base;
      return {
        ...configured,
        providers: Object.fromEntries((['anthropic', 'openai', 'github', 'codeium'] as const).map((p) => [p, upstream(p, provider.url, options.upstream)])),
        proxy: { maxBodyBytes: options.maxBodyBytes ?? 5_000_000, modelRoutes: [{ pattern: 'claude-*', provider: 'anthropic' }, { pattern: 'gpt-*', provider: 'openai' }] },
      };
    },
  });
  return Object.assign(stack, { provider });
}
