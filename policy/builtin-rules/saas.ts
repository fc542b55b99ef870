import type { BuiltinRule } from './builtin-rule.ts';
import { defineRule, ex } from './define-rule.ts';
import { BASE64, fakeSecret, HEX, UPPER_ALNUM } from './fake-secret.ts';

const SLACK_BODY = String.raw`[0-9A-Za-z-]{20,}`;
const SLACK_TAIL = `${fakeSecret(12, '0123456789')}-${fakeSecret(13, '0123456789')}-${fakeSecret(24)}`;

/**
 * Discord bot tokens start with the base64 of the bot's numeric id (17 to 19 digits), and base64
 * of ASCII digits has a fixed shape per 4-character group. Matching that shape, rather than any
 * `word.word.word`, keeps long dotted identifier chains in code from looking like tokens.
 */
const DISCORD_ID = String.raw`(?:[MNO][DTjz][AEIMQUYcgk][w-z0-5]){4,6}(?:[MNO][DTjz][AEIMQUYcgk]?)?`;
const DISCORD_TOKEN = `${Buffer.from('198765432109876543').toString('base64')}.${fakeSecret(6)}.${fakeSecret(38)}`;

export const SAAS_RULES: readonly BuiltinRule[] = [
  // xoxe first: a configuration token `xoxe.xoxp-…` contains a user-token-shaped tail.
  defineRule({
    id: 'slack-config-token',
    description: 'Slack configuration access or refresh token (xoxe.xoxp-, xoxe-)',
    pattern: String.raw`\bxoxe(?:\.xox[bp])?-${SLACK_BODY}`,
    positive: [ex('SLACK_CONFIG_TOKEN=', `xoxe.xoxp-1-${fakeSecret(40)}`), ex('refresh: ', `xoxe-1-${fakeSecret(40)}`)],
    negative: ['xoxe-1-abc', 'tokens start with xoxe.xoxp-'],
  }),
  defineRule({
    id: 'slack-bot-token',
    description: 'Slack bot token (xoxb-)',
    pattern: String.raw`\bxoxb-${SLACK_BODY}`,
    positive: [ex('SLACK_BOT_TOKEN=', `xoxb-${SLACK_TAIL}`)],
    negative: ['xoxb-your-token', 'bot tokens start with xoxb-'],
  }),
  defineRule({
    id: 'slack-user-token',
    description: 'Slack user token (xoxp-)',
    pattern: String.raw`\bxoxp-${SLACK_BODY}`,
    positive: [ex('token: ', `xoxp-${SLACK_TAIL}`)],
    negative: ['xoxp-abc-def', 'user tokens start with xoxp-'],
  }),
  defineRule({
    id: 'slack-app-token',
    description: 'Slack app-level token (xapp-)',
    pattern: String.raw`\bxapp-${SLACK_BODY}`,
    positive: [ex('SLACK_APP_TOKEN=', `xapp-1-A${fakeSecret(10, UPPER_ALNUM)}-${fakeSecret(13, '0123456789')}-${fakeSecret(64, HEX)}`)],
    negative: ['xapp-1-short', 'app tokens start with xapp-'],
  }),
  defineRule({
    id: 'slack-legacy-token',
    description: 'Slack legacy workspace, refresh or session token (xoxa-, xoxr-, xoxs-, xoxo-)',
    pattern: String.raw`\bxox[aors]-${SLACK_BODY}`,
    positive: [ex('SLACK_TOKEN=', `xoxa-2-${fakeSecret(40)}`)],
    negative: ['xoxs-abc', 'legacy tokens start with xoxa-'],
  }),
  defineRule({
    id: 'slack-webhook-url',
    description: 'Slack incoming webhook or workflow trigger URL; host and path prefix are kept',
    pattern: String.raw`(hooks\.slack\.com/(?:services|workflows|triggers)/)[A-Za-z0-9/_+-]{20,}`,
    replacement: '$1[REDACTED:slack-webhook-url]',
    positive: [ex('https://hooks.slack.com/services/', `T${fakeSecret(8, UPPER_ALNUM)}/B${fakeSecret(8, UPPER_ALNUM)}/${fakeSecret(24)}`)],
    negative: ['https://hooks.slack.com/services/', 'https://hooks.slack.com/services/[REDACTED:slack-webhook-url]'],
  }),
  defineRule({
    id: 'stripe-secret-key',
    description: 'Stripe secret key, live or test (sk_live_, sk_test_)',
    pattern: String.raw`\bsk_(?:live|test)_[A-Za-z0-9]{20,}`,
    positive: [ex('STRIPE_SECRET_KEY=', `sk_live_${fakeSecret(99)}`), ex("Stripe('", `sk_test_${fakeSecret(24)}`, "')")],
    negative: ['sk_live_abc', 'pk_live_' + fakeSecret(24), 'keys start with sk_live_'],
  }),
  defineRule({
    id: 'stripe-restricted-key',
    description: 'Stripe restricted key (rk_live_, rk_test_)',
    pattern: String.raw`\brk_(?:live|test)_[A-Za-z0-9]{20,}`,
    positive: [ex('STRIPE_KEY=', `rk_live_${fakeSecret(99)}`)],
    negative: ['rk_live_abc', 'restricted keys start with rk_live_'],
  }),
  defineRule({
    id: 'stripe-webhook-secret',
    description: 'Stripe webhook signing secret (whsec_)',
    pattern: String.raw`\bwhsec_[A-Za-z0-9+/=]{20,}`,
    positive: [ex('STRIPE_WEBHOOK_SECRET=', `whsec_${fakeSecret(32)}`)],
    negative: ['whsec_abc', 'secrets start with whsec_'],
  }),
  defineRule({
    id: 'twilio-api-key',
    description: 'Twilio API key SID (SK + 32 hex), which is paired with its secret',
    pattern: String.raw`\bSK[0-9a-fA-F]{32}\b`,
    positive: [ex('TWILIO_API_KEY=', `SK${fakeSecret(32, HEX)}`)],
    negative: ['SK1234abcd', `SKX${fakeSecret(32, HEX)}`],
  }),
  defineRule({
    id: 'sendgrid-api-key',
    description: 'SendGrid API key (SG.<id>.<secret>)',
    pattern: String.raw`\bSG\.[\w-]{16,}\.[\w-]{20,}`,
    positive: [ex('SENDGRID_API_KEY=', `SG.${fakeSecret(22)}.${fakeSecret(43)}`)],
    negative: ['SG.abc.def', 'see SG.config.load()'],
  }),
  defineRule({
    id: 'mailgun-api-key',
    description: 'Mailgun private API key (key-…) or webhook signing key',
    // `key-<md5>` must not follow a word or `-` (cache keys like `npm-key-<md5>`); RE2 has no
    // lookbehind, so the preceding character is matched and put back with $1.
    pattern: String.raw`(?m)(?:(^|[^\w-])key-[0-9a-f]{32}|\b[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8})\b`,
    replacement: '$1[REDACTED:mailgun-api-key]',
    positive: [ex('MAILGUN_API_KEY=', `key-${fakeSecret(32, HEX)}`), ex('signing_key: ', `${fakeSecret(32, HEX)}-${fakeSecret(8, HEX)}-${fakeSecret(8, HEX)}`)],
    negative: ['key-1234', 'primary-key-column', `cache-key-${fakeSecret(32, HEX)}`],
  }),
  defineRule({
    id: 'mailchimp-api-key',
    description: 'Mailchimp API key (32 hex + data-centre suffix -usN)',
    pattern: String.raw`\b[0-9a-f]{32}-us[0-9]{1,2}\b`,
    positive: [ex('MAILCHIMP_KEY=', `${fakeSecret(32, HEX)}-us21`)],
    negative: [`${fakeSecret(32, HEX)}-eu1`, 'region-us1'],
  }),
  defineRule({
    id: 'shopify-token',
    description: 'Shopify Admin API, custom app, private app or shared secret (shpat_, shpca_, shppa_, shpss_)',
    pattern: String.raw`\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{20,}\b`,
    positive: [ex('SHOPIFY_ACCESS_TOKEN=', `shpat_${fakeSecret(32, HEX)}`)],
    negative: ['shpat_1234', 'tokens start with shpat_'],
  }),
  defineRule({
    id: 'discord-bot-token',
    description: 'Discord bot token (base64 bot id . timestamp . HMAC)',
    pattern: String.raw`\b${DISCORD_ID}\.[\w-]{6}\.[\w-]{20,}`,
    positive: [ex('DISCORD_TOKEN=', DISCORD_TOKEN), ex('client.login("', DISCORD_TOKEN, '")')],
    negative: ['NotificationServiceFactory.create.someVeryLongMethodNameForTests', 'MTk4.abc.def'],
  }),
  defineRule({
    id: 'discord-webhook-url',
    description: 'Discord webhook URL; host and webhook id are kept',
    pattern: String.raw`(discord(?:app)?\.com/api/webhooks/[0-9]+/)[\w-]{20,}`,
    replacement: '$1[REDACTED:discord-webhook-url]',
    positive: [ex('https://discord.com/api/webhooks/123456789012345678/', fakeSecret(68))],
    negative: ['https://discord.com/api/webhooks/123/short', 'https://discord.com/api/webhooks/1/[REDACTED:discord-webhook-url]'],
  }),
  defineRule({
    id: 'telegram-bot-token',
    description: 'Telegram Bot API token (<bot id>:AA…)',
    // In Bot API URLs the token follows `bot` with no word boundary; that word is kept.
    pattern: String.raw`(?:(bot)|\b)[0-9]{6,12}:AA[\w-]{30,}`,
    replacement: '$1[REDACTED:telegram-bot-token]',
    positive: [ex('TELEGRAM_BOT_TOKEN=', `1234567890:AA${fakeSecret(33)}`), ex('https://api.telegram.org/bot', `123456789:AA${fakeSecret(33)}`, '/getMe')],
    negative: ['12:30:AA', '1234567890:AAshort'],
  }),
  defineRule({
    id: 'linear-api-key',
    description: 'Linear personal API key or OAuth token (lin_api_, lin_oauth_)',
    pattern: String.raw`\blin_(?:api|oauth)_[A-Za-z0-9]{20,}\b`,
    positive: [ex('LINEAR_API_KEY=', `lin_api_${fakeSecret(40)}`)],
    negative: ['lin_api_abc', 'keys start with lin_api_'],
  }),
  defineRule({
    id: 'atlassian-api-token',
    description: 'Atlassian (Jira, Confluence, Bitbucket) API token (ATATT3…, ATCTT3…)',
    pattern: String.raw`\bAT(?:ATT|CTT)3[A-Za-z0-9_=-]{20,}`,
    positive: [ex('JIRA_API_TOKEN=', `ATATT3xFfGF0${fakeSecret(180)}=${fakeSecret(8, HEX).toUpperCase()}`)],
    negative: ['ATATT3abc', 'tokens start with ATATT3'],
  }),
  defineRule({
    id: 'sentry-auth-token',
    description: 'Sentry organization or user auth token (sntrys_, sntryu_)',
    pattern: String.raw`\bsntry[su]_[A-Za-z0-9_+/=-]{20,}`,
    positive: [ex('SENTRY_AUTH_TOKEN=', `sntrys_eyJ${fakeSecret(90, BASE64)}_${fakeSecret(43)}`), ex('token: ', `sntryu_${fakeSecret(64, HEX)}`)],
    negative: ['sntrys_abc', 'tokens start with sntrys_'],
  }),
  defineRule({
    id: 'postman-api-key',
    description: 'Postman API key (PMAK-)',
    pattern: String.raw`\bPMAK-[a-f0-9]{20,}-[a-f0-9]{20,}\b`,
    positive: [ex('POSTMAN_API_KEY=', `PMAK-${fakeSecret(24, HEX)}-${fakeSecret(34, HEX)}`)],
    negative: ['PMAK-1234-5678', 'keys start with PMAK-'],
  }),
  defineRule({
    id: 'grafana-token',
    description: 'Grafana service account token (glsa_) or Grafana Cloud access policy token (glc_)',
    pattern: String.raw`\b(?:glsa_[A-Za-z0-9]{20,}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,}={0,2})`,
    positive: [ex('GRAFANA_TOKEN=', `glsa_${fakeSecret(32)}_${fakeSecret(8, HEX)}`), ex('token: ', `glc_eyJ${fakeSecret(100, BASE64)}==`)],
    negative: ['glsa_abc_1234', 'glc_short'],
  }),
  defineRule({
    id: 'new-relic-user-api-key',
    description: 'New Relic user API key (NRAK-)',
    pattern: String.raw`\bNRAK-[A-Z0-9]{20,}\b`,
    positive: [ex('NEW_RELIC_API_KEY=', `NRAK-${fakeSecret(27, UPPER_ALNUM)}`)],
    negative: ['NRAK-ABC', 'keys start with NRAK-'],
  }),
];
