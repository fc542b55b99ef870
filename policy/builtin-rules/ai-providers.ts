import type { BuiltinRule } from './builtin-rule.ts';
import { fakeSecret, HEX, LETTERS } from './fake-secret.ts';

/** A rule for a provider key recognised by its prefix, with the examples every such key shares. */
function prefixedKey(id: string, description: string, pattern: string, secret: string, negative: readonly string[]): BuiltinRule {
  return {
    id,
    description,
    pattern,
    examples: {
      positive: [
        { text: `API_KEY=${secret}`, secret },
        { text: `client = Client(api_key="${secret}")`, secret },
      ],
      negative: [...negative, `[REDACTED:${id}]`],
    },
  };
}

// Lengths are lower bounds well under the real ones (Anthropic keys are ~108 characters, OpenAI
// project keys ~164): with a distinctive prefix, 20 characters already rule out prose and
// identifiers, and new formats stay covered. Short prefixes (gsk_, xai-) keep higher bounds.
export const AI_PROVIDER_RULES: readonly BuiltinRule[] = [
  prefixedKey(
    'anthropic-api-key',
    'Anthropic API key (sk-ant-api03-)',
    String.raw`\bsk-ant-api[0-9]{2}-[\w-]{20,}`,
    `sk-ant-api03-${fakeSecret(93)}AA`,
    ['sk-ant-api03-abc', 'keys look like sk-ant-api03-…'],
  ),
  prefixedKey(
    'anthropic-admin-key',
    'Anthropic Admin API key (sk-ant-admin01-)',
    String.raw`\bsk-ant-admin[0-9]{2}-[\w-]{20,}`,
    `sk-ant-admin01-${fakeSecret(93)}AA`,
    ['sk-ant-admin01-short', 'admin keys start with sk-ant-admin01-'],
  ),
  prefixedKey(
    'anthropic-oauth-token',
    'Anthropic / Claude subscription OAuth access or refresh token (sk-ant-oat01-, sk-ant-ort01-)',
    String.raw`\bsk-ant-o(?:at|rt)[0-9]{2}-[\w-]{20,}`,
    `sk-ant-oat01-${fakeSecret(93)}AA`,
    ['sk-ant-oat01-short', 'CLAUDE_CODE_OAUTH_TOKEN holds an sk-ant-oat01- token'],
  ),
  prefixedKey(
    'openai-project-key',
    'OpenAI project API key (sk-proj-)',
    String.raw`\bsk-proj-[\w-]{20,}`,
    `sk-proj-${fakeSecret(74)}T3BlbkFJ${fakeSecret(74)}`,
    ['sk-proj-abc123', 'project keys start with sk-proj-'],
  ),
  prefixedKey(
    'openai-service-account-key',
    'OpenAI service account API key (sk-svcacct-)',
    String.raw`\bsk-svcacct-[\w-]{20,}`,
    `sk-svcacct-${fakeSecret(74)}T3BlbkFJ${fakeSecret(74)}`,
    ['sk-svcacct-abc123', 'service account keys start with sk-svcacct-'],
  ),
  prefixedKey(
    'openai-admin-key',
    'OpenAI admin API key (sk-admin-)',
    String.raw`\bsk-admin-[\w-]{20,}`,
    `sk-admin-${fakeSecret(58)}T3BlbkFJ${fakeSecret(58)}`,
    ['sk-admin-abc123', 'admin keys start with sk-admin-'],
  ),
  prefixedKey(
    'openai-legacy-key',
    'OpenAI legacy user API key (sk- with the T3BlbkFJ marker)',
    String.raw`\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b`,
    `sk-${fakeSecret(20)}T3BlbkFJ${fakeSecret(20)}`,
    [`sk-${fakeSecret(48)}`, 'sk-T3BlbkFJ'],
  ),
  prefixedKey(
    'huggingface-token',
    'Hugging Face access token (hf_)',
    String.raw`\bhf_[A-Za-z0-9]{30,}\b`,
    `hf_${fakeSecret(34, LETTERS)}`,
    ['from huggingface_hub import hf_hub_download', 'hf_token = get_token()'],
  ),
  prefixedKey(
    'groq-api-key',
    'Groq API key (gsk_)',
    String.raw`\bgsk_[A-Za-z0-9]{32,}\b`,
    `gsk_${fakeSecret(52)}`,
    ['gsk_abc123', 'Groq keys start with gsk_'],
  ),
  prefixedKey(
    'replicate-api-token',
    'Replicate API token (r8_)',
    String.raw`\br8_[A-Za-z0-9]{30,}\b`,
    `r8_${fakeSecret(37)}`,
    ['r8_abc', 'register r8_and_r9 values'],
  ),
  prefixedKey(
    'perplexity-api-key',
    'Perplexity API key (pplx-)',
    String.raw`\bpplx-[A-Za-z0-9]{32,}\b`,
    `pplx-${fakeSecret(48)}`,
    ['pplx-abc123', 'model: pplx-7b-online'],
  ),
  prefixedKey(
    'xai-api-key',
    'xAI API key (xai-)',
    String.raw`\bxai-[A-Za-z0-9]{40,}\b`,
    `xai-${fakeSecret(80)}`,
    ['xai-abc123', 'provider: xai-grok'],
  ),
  prefixedKey(
    'openrouter-api-key',
    'OpenRouter API key (sk-or-v1-)',
    String.raw`\bsk-or-v1-[a-f0-9]{20,}\b`,
    `sk-or-v1-${fakeSecret(64, HEX)}`,
    ['sk-or-v1-abc123', 'keys start with sk-or-v1-'],
  ),
];
