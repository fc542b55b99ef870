import type { BuiltinRule } from './builtin-rule.ts';
import { fakeSecret, HEX } from './fake-secret.ts';

/**
 * Self-managed instances may prepend an instance-wide prefix to every token (`SIE-glpat-…`,
 * `mycorp_glrt-…`; gitlab-org/gitlab#388379). The prefix is part of the credential, so it is
 * redacted with the token instead of being left dangling. Unbounded rather than `{0,19}`: a
 * counted repetition at the start of 14 patterns multiplies the states of the redactor's RE2.Set
 * DFA (every word start inside a hyphenated name would run its own counter).
 */
const INSTANCE_PREFIX = String.raw`(?:\b[A-Za-z0-9][A-Za-z0-9_-]*)?`;

/**
 * Token body: at least 20 URL-safe characters, no upper bound, optional `.`-separated segments.
 * Lengths are deliberately not validated: routable formats (`glpat-<payload>.01.<crc>`) are longer
 * than the classic 20 characters and GitLab keeps adding formats.
 */
const BODY = String.raw`[\w-]{20,}(?:\.[\w-]+)*`;

function gitlabToken(prefix: string): string {
  return `${INSTANCE_PREFIX}${prefix}${BODY}`;
}

/** A rule for one GitLab token prefix, with the examples every prefix shares. */
function gitlabRule(id: string, prefix: string, description: string): BuiltinRule {
  const token = `${prefix}${fakeSecret(20)}`;
  const longToken = `${prefix}${fakeSecret(40)}`;
  return {
    id,
    description,
    pattern: gitlabToken(prefix),
    examples: {
      positive: [
        { text: `GITLAB_TOKEN=${token}`, secret: token },
        { text: `use "${longToken}" here`, secret: longToken },
        { text: `token: SIE-${token}`, secret: `SIE-${token}` },
      ],
      negative: [`${prefix}${fakeSecret(12)}`, `tokens start with ${prefix} and are secret`, `[REDACTED:${id}]`],
    },
  };
}

const PAT = `glpat-${fakeSecret(20)}`;
const ROUTABLE_PAT = `glpat-${fakeSecret(36)}.01.${fakeSecret(9, HEX)}`;

export const GITLAB_RULES: readonly BuiltinRule[] = [
  {
    id: 'gitlab-pat',
    description: 'GitLab personal, project or group access token (glpat-), classic or routable format, with an optional instance prefix',
    pattern: gitlabToken('glpat-'),
    examples: {
      positive: [
        { text: `curl --header "PRIVATE-TOKEN: ${PAT}" https://gitlab.example.com/api/v4/user`, secret: PAT },
        { text: `GITLAB_TOKEN=${ROUTABLE_PAT}`, secret: ROUTABLE_PAT },
        { text: `export GITLAB_TOKEN=SIE-${PAT}`, secret: `SIE-${PAT}` },
        { text: `token = "mycorp_${PAT}"`, secret: `mycorp_${PAT}` },
      ],
      negative: ['glpat-tooShort123', 'a token starts with glpat- followed by 20 characters', '[REDACTED:gitlab-pat]'],
    },
  },
  gitlabRule('gitlab-oauth-app-secret', 'gloas-', 'GitLab OAuth application secret (gloas-)'),
  gitlabRule('gitlab-deploy-token', 'gldt-', 'GitLab deploy token (gldt-)'),
  {
    id: 'gitlab-runner-auth-token',
    description: 'GitLab runner authentication token (glrt-, glrtr-)',
    pattern: gitlabToken('glrtr?-'),
    examples: {
      positive: [
        { text: `token = "glrt-t1_${fakeSecret(20)}"`, secret: `glrt-t1_${fakeSecret(20)}` },
        { text: `--token glrtr-${fakeSecret(27)}.01.${fakeSecret(9, HEX)}`, secret: `glrtr-${fakeSecret(27)}.01.${fakeSecret(9, HEX)}` },
        { text: `RUNNER_TOKEN=SIE-glrt-${fakeSecret(24)}`, secret: `SIE-glrt-${fakeSecret(24)}` },
      ],
      negative: ['glrt-abc', 'runner tokens start with glrt-', '[REDACTED:gitlab-runner-auth-token]'],
    },
  },
  {
    id: 'gitlab-runner-registration-token',
    description: 'GitLab runner registration token (GR1348941, deprecated registration flow)',
    pattern: gitlabToken('GR1348941'),
    examples: {
      positive: [{ text: `--registration-token GR1348941${fakeSecret(20)}`, secret: `GR1348941${fakeSecret(20)}` }],
      negative: ['GR1348941abc', 'registration tokens start with GR1348941', '[REDACTED:gitlab-runner-registration-token]'],
    },
  },
  {
    id: 'gitlab-ci-job-token',
    description: 'GitLab CI/CD job token (glcbt-)',
    pattern: gitlabToken('glcbt-'),
    examples: {
      positive: [
        { text: `JOB-TOKEN: glcbt-64_${fakeSecret(20)}`, secret: `glcbt-64_${fakeSecret(20)}` },
        { text: `CI_JOB_TOKEN=SIE-glcbt-${fakeSecret(30)}`, secret: `SIE-glcbt-${fakeSecret(30)}` },
      ],
      negative: ['glcbt-64_abc', 'job tokens look like glcbt-…', '[REDACTED:gitlab-ci-job-token]'],
    },
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    description: 'GitLab pipeline trigger token (glptt-, 40 hex characters today)',
    pattern: gitlabToken('glptt-'),
    examples: {
      positive: [
        { text: `curl -F token=glptt-${fakeSecret(40, HEX)} -F ref=main`, secret: `glptt-${fakeSecret(40, HEX)}` },
        { text: `TRIGGER=SIE-glptt-${fakeSecret(40, HEX)}`, secret: `SIE-glptt-${fakeSecret(40, HEX)}` },
      ],
      negative: ['glptt-0123abcd', 'trigger tokens start with glptt-', '[REDACTED:gitlab-pipeline-trigger-token]'],
    },
  },
  gitlabRule('gitlab-feed-token', 'glft-', 'GitLab feed token (glft-) for RSS and calendar feeds'),
  gitlabRule('gitlab-incoming-mail-token', 'glimt-', 'GitLab incoming email token (glimt-)'),
  gitlabRule('gitlab-agent-token', 'glagent-', 'GitLab agent for Kubernetes token (glagent-)'),
  gitlabRule('gitlab-workspace-token', 'glwt-', 'GitLab workspace token (glwt-)'),
  gitlabRule('gitlab-scim-token', 'glsoat-', 'GitLab SCIM OAuth access token (glsoat-)'),
  gitlabRule('gitlab-feature-flag-client-token', 'glffct-', 'GitLab feature flags client token (glffct-)'),
  {
    id: 'gitlab-session-cookie',
    description: 'GitLab web session cookie (_gitlab_session=); the cookie name is kept',
    pattern: String.raw`(_gitlab_session=)[A-Za-z0-9_-]{16,}`,
    replacement: '$1[REDACTED:gitlab-session-cookie]',
    examples: {
      positive: [{ text: `Cookie: _gitlab_session=${fakeSecret(32, HEX)}; path=/`, secret: fakeSecret(32, HEX) }],
      negative: ['_gitlab_session=', '_gitlab_session=abc', '_gitlab_session=[REDACTED:gitlab-session-cookie]'],
    },
  },
];
