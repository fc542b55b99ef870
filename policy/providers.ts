/** Provider ids aigate knows. The JSON Schemas list the same ids (a test keeps them equal). */
export const PROVIDER_IDS = ['anthropic', 'openai', 'github', 'codeium', 'gitlab-duo'] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}
