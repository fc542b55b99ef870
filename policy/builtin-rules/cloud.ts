import type { BuiltinRule } from './builtin-rule.ts';
import { BASE64, fakePem, fakeSecret, HEX, UPPER_ALNUM } from './fake-secret.ts';

const AWS_KEY_ID = `AKIA${fakeSecret(16, UPPER_ALNUM)}`;
const AWS_SECRET = fakeSecret(40, BASE64);
const AZURE_KEY = fakeSecret(86, BASE64);
const PEM_ESCAPED = `${fakePem('', '\\n')}\\n`;

export const CLOUD_RULES: readonly BuiltinRule[] = [
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id (AKIA, ASIA, ABIA, ACCA, A3T…)',
    pattern: String.raw`\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`,
    examples: {
      positive: [
        { text: `aws_access_key_id = ${AWS_KEY_ID}`, secret: AWS_KEY_ID },
        { text: `"AccessKeyId": "ASIA${fakeSecret(16, UPPER_ALNUM)}"`, secret: `ASIA${fakeSecret(16, UPPER_ALNUM)}` },
      ],
      negative: ['AKIA1234', `XAKIA${fakeSecret(16, UPPER_ALNUM)}`, `AKIA${fakeSecret(16, UPPER_ALNUM).toLowerCase()}`],
    },
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key in an assignment (aws_secret_access_key = …, "SecretAccessKey": …)',
    // Exactly 40 characters followed by a delimiter, so a longer value under a similar name is not
    // half-redacted (RE2 has no lookahead: the delimiter is matched and put back with $3).
    pattern: String.raw`(?im)((?:aws_?)?secret_?access_?key["']?[ \t]*(?::=|=>|=|:)[ \t]*["']?)([A-Za-z0-9/+]{40})(["'\s,;}]|$)`,
    replacement: '$1[REDACTED:aws-secret-access-key]$3',
    examples: {
      positive: [
        { text: `aws_secret_access_key = ${AWS_SECRET}\nregion = eu-west-1`, secret: AWS_SECRET },
        { text: `AWS_SECRET_ACCESS_KEY=${AWS_SECRET}`, secret: AWS_SECRET },
        { text: `{"SecretAccessKey": "${AWS_SECRET}", "SessionToken": "x"}`, secret: AWS_SECRET },
      ],
      negative: ['aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}', `aws_secret_access_key = ${AWS_SECRET}${AWS_SECRET}`, 'aws_secret_access_key = [REDACTED:aws-secret-access-key]'],
    },
  },
  {
    id: 'google-api-key',
    description: 'Google API key (AIza…), including Gemini and Firebase keys',
    pattern: String.raw`\bAIza[\w-]{35}`,
    examples: {
      positive: [{ text: `GEMINI_API_KEY=AIza${fakeSecret(35)}`, secret: `AIza${fakeSecret(35)}` }],
      negative: ['AIzaShort123', 'keys start with AIza', '[REDACTED:google-api-key]'],
    },
  },
  {
    id: 'google-oauth-client-secret',
    description: 'Google OAuth client secret (GOCSPX-)',
    pattern: String.raw`\bGOCSPX-[\w-]{20,}`,
    examples: {
      positive: [{ text: `"client_secret":"GOCSPX-${fakeSecret(28)}"`, secret: `GOCSPX-${fakeSecret(28)}` }],
      negative: ['GOCSPX-abc', 'secrets start with GOCSPX-', '[REDACTED:google-oauth-client-secret]'],
    },
  },
  {
    id: 'google-oauth-access-token',
    description: 'Google OAuth 2.0 access token (ya29.)',
    pattern: String.raw`\bya29\.[\w-]{20,}`,
    examples: {
      positive: [{ text: `access_token: ya29.a0${fakeSecret(60)}`, secret: `ya29.a0${fakeSecret(60)}` }],
      negative: ['ya29.abc', 'tokens start with ya29.', '[REDACTED:google-oauth-access-token]'],
    },
  },
  {
    id: 'gcp-service-account-private-key',
    description: 'Private key field of a GCP service-account JSON key file; field name and quotes are kept',
    // Runs before the generic PEM rules so the audit record names the credential kind.
    pattern: String.raw`("private_key"[ \t]*:[ \t]*")(-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----[^"]*)(")`,
    replacement: '$1[REDACTED:gcp-service-account-private-key]$3',
    examples: {
      positive: [{ text: `{"type": "service_account", "private_key_id": "abc", "private_key": "${PEM_ESCAPED}", "client_email": "x@y.iam.gserviceaccount.com"}`, secret: fakeSecret(64, BASE64) }],
      negative: ['"private_key": ""', '"private_key_id": "0123456789abcdef"', '"private_key": "[REDACTED:gcp-service-account-private-key]"'],
    },
  },
  {
    id: 'azure-storage-account-key',
    description: 'Azure storage account / Service Bus key in a connection string (AccountKey=, SharedAccessKey=)',
    pattern: String.raw`(?i)((?:AccountKey|SharedAccessKey)=)[A-Za-z0-9+/]{20,}={0,2}`,
    replacement: '$1[REDACTED:azure-storage-account-key]',
    examples: {
      positive: [
        { text: `DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${AZURE_KEY}==;EndpointSuffix=core.windows.net`, secret: AZURE_KEY },
        { text: `Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=${fakeSecret(44, BASE64)}`, secret: fakeSecret(44, BASE64) },
      ],
      negative: ['AccountKey=', 'AccountKey=${AZURE_STORAGE_KEY}', 'AccountKey=[REDACTED:azure-storage-account-key]'],
    },
  },
  {
    id: 'azure-ad-client-secret',
    description: 'Microsoft Entra ID (Azure AD) application client secret (…Q~…)',
    // `+`, not `{3}`: a leading count without a word boundary would multiply RE2.Set DFA states.
    pattern: String.raw`[A-Za-z0-9_~.]+[0-9]Q~[A-Za-z0-9_~.-]{31,34}`,
    examples: {
      positive: [{ text: `AZURE_CLIENT_SECRET=abc8Q~${fakeSecret(34)}`, secret: `abc8Q~${fakeSecret(34)}` }],
      negative: ['abc8Q~short', 'a Q~ in prose', '[REDACTED:azure-ad-client-secret]'],
    },
  },
  {
    id: 'digitalocean-token',
    description: 'DigitalOcean personal access, OAuth or refresh token (dop_v1_, doo_v1_, dor_v1_)',
    pattern: String.raw`\bdo[opr]_v1_[a-f0-9]{20,}\b`,
    examples: {
      positive: [{ text: `DIGITALOCEAN_TOKEN=dop_v1_${fakeSecret(64, HEX)}`, secret: `dop_v1_${fakeSecret(64, HEX)}` }],
      negative: ['dop_v1_abc123', 'tokens start with dop_v1_', '[REDACTED:digitalocean-token]'],
    },
  },
  {
    id: 'heroku-api-key',
    description: 'Heroku API key, current format (HRKU-)',
    pattern: String.raw`\bHRKU-[A-Za-z0-9_-]{20,}`,
    examples: {
      positive: [{ text: `HEROKU_API_KEY=HRKU-AA${fakeSecret(58)}`, secret: `HRKU-AA${fakeSecret(58)}` }],
      negative: ['HRKU-abc', 'keys start with HRKU-', '[REDACTED:heroku-api-key]'],
    },
  },
  {
    id: 'vault-token',
    description: 'HashiCorp Vault service, batch or recovery token (hvs., hvb., hvr.)',
    pattern: String.raw`\bhv[sbr]\.[\w-]{24,}`,
    examples: {
      positive: [{ text: `VAULT_TOKEN=hvs.CAESI${fakeSecret(90)}`, secret: `hvs.CAESI${fakeSecret(90)}` }],
      negative: ['hvs.short', 'tokens start with hvs.', '[REDACTED:vault-token]'],
    },
  },
  {
    id: 'terraform-cloud-token',
    description: 'HCP Terraform / Terraform Enterprise API token (….atlasv1.…)',
    pattern: String.raw`\b[A-Za-z0-9]+\.atlasv1\.[\w=-]{20,}`,
    examples: {
      positive: [{ text: `token = "${fakeSecret(14)}.atlasv1.${fakeSecret(67)}"`, secret: `${fakeSecret(14)}.atlasv1.${fakeSecret(67)}` }],
      negative: ['abc.atlasv1.def', 'tokens contain .atlasv1.', '[REDACTED:terraform-cloud-token]'],
    },
  },
  {
    id: 'databricks-token',
    description: 'Databricks personal access token (dapi)',
    pattern: String.raw`\bdapi[a-f0-9]{32}(?:-[0-9]+)?\b`,
    examples: {
      positive: [{ text: `DATABRICKS_TOKEN=dapi${fakeSecret(32, HEX)}-2`, secret: `dapi${fakeSecret(32, HEX)}` }],
      negative: ['dapi1234abcd', 'the dapi prefix', '[REDACTED:databricks-token]'],
    },
  },
  {
    id: 'doppler-token',
    description: 'Doppler personal, service, CLI, service-account, SCIM or audit token (dp.pt., dp.st., …)',
    pattern: String.raw`\bdp\.(?:pt|st|ct|sa|scim|audit)\.(?:[\w-]+\.)?[A-Za-z0-9]{20,}`,
    examples: {
      positive: [
        { text: `DOPPLER_TOKEN=dp.pt.${fakeSecret(43)}`, secret: `dp.pt.${fakeSecret(43)}` },
        { text: `DOPPLER_TOKEN=dp.st.prd.${fakeSecret(43)}`, secret: `dp.st.prd.${fakeSecret(43)}` },
      ],
      negative: ['dp.pt.abc', 'tokens start with dp.pt.', '[REDACTED:doppler-token]'],
    },
  },
  {
    id: 'pulumi-access-token',
    description: 'Pulumi Cloud access token (pul-)',
    pattern: String.raw`\bpul-[a-f0-9]{32,}\b`,
    examples: {
      positive: [{ text: `PULUMI_ACCESS_TOKEN=pul-${fakeSecret(40, HEX)}`, secret: `pul-${fakeSecret(40, HEX)}` }],
      negative: ['pul-abc123', 'pul-request', '[REDACTED:pulumi-access-token]'],
    },
  },
  {
    id: 'planetscale-token',
    description: 'PlanetScale service token, password or OAuth token (pscale_tkn_, pscale_pw_, pscale_oauth_)',
    pattern: String.raw`\bpscale_(?:tkn|pw|oauth)_[\w=-]{20,}(?:\.[\w=-]+)*`,
    examples: {
      positive: [{ text: `DATABASE_PASSWORD=pscale_pw_${fakeSecret(43)}`, secret: `pscale_pw_${fakeSecret(43)}` }],
      negative: ['pscale_pw_abc', 'pscale_tkn_ prefix', '[REDACTED:planetscale-token]'],
    },
  },
];
