import type { BuiltinRule } from './builtin-rule.ts';
import { fakeSecret } from './fake-secret.ts';

/**
 * GitHub's prefixed tokens: prefix plus 36 alphanumerics (30 random, 6 CRC32). A lower bound of 30
 * rather than exactly 36, so a longer future format is still caught; see all-builtin-rules.ts on
 * why bounds stay modest.
 */
function githubRule(id: string, prefix: string, description: string): BuiltinRule {
  const token = `${prefix}${fakeSecret(36)}`;
  return {
    id,
    description,
    pattern: String.raw`\b${prefix}[A-Za-z0-9]{30,}\b`,
    examples: {
      positive: [
        { text: `GITHUB_TOKEN=${token}`, secret: token },
        { text: `Authorization: token ${token}`, secret: token },
      ],
      negative: [`${prefix}${fakeSecret(20)}`, `tokens start with ${prefix}`, `[REDACTED:${id}]`],
    },
  };
}

const FINE_GRAINED = `github_pat_11${fakeSecret(20)}_${fakeSecret(59)}`;

export const GITHUB_RULES: readonly BuiltinRule[] = [
  githubRule('github-pat', 'ghp_', 'GitHub personal access token, classic (ghp_)'),
  {
    id: 'github-fine-grained-pat',
    description: 'GitHub fine-grained personal access token (github_pat_)',
    pattern: String.raw`\bgithub_pat_[A-Za-z0-9_]{20,}`,
    examples: {
      positive: [{ text: `export GH_TOKEN="${FINE_GRAINED}"`, secret: FINE_GRAINED }],
      negative: ['github_pat_abc123', 'the github_pat_ prefix marks fine-grained tokens', '[REDACTED:github-fine-grained-pat]'],
    },
  },
  githubRule('github-oauth-token', 'gho_', 'GitHub OAuth access token (gho_)'),
  githubRule('github-user-to-server-token', 'ghu_', 'GitHub App user-to-server token (ghu_)'),
  githubRule('github-server-to-server-token', 'ghs_', 'GitHub App installation / Actions token (ghs_)'),
  githubRule('github-refresh-token', 'ghr_', 'GitHub App refresh token (ghr_)'),
];
