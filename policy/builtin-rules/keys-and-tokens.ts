import type { BuiltinRule, PositiveExample } from './builtin-rule.ts';
import { defineRule, ex } from './define-rule.ts';
import { BASE64, fakePem, fakeSecret, pemArmour } from './fake-secret.ts';

/** `RSA `, `EC `, `DSA `, `OPENSSH `, `ENCRYPTED `, `PGP `, … then PRIVATE KEY, PGP adds ` BLOCK`. */
const KEY_TYPE = String.raw`(?:[A-Z0-9]+ ){0,2}PRIVATE KEY(?: BLOCK)?`;

/** An armour header line (`Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, `Version: …`, `Comment: …`). */
const ARMOUR_HEADER = String.raw`[A-Za-z][A-Za-z-]*:[^\n\\]*`;

/**
 * What may sit between the BEGIN and END lines: base64, whitespace, the two-character `\n` of the
 * JSON-escaped form, armour headers, and the quoting of keys embedded in code or YAML (`"`, `,`,
 * `#`, `>`, `|`). A plain `-` is excluded (headers aside), so a BEGIN line without its END can
 * never stretch the match across ordinary text to some later END line.
 */
const PEM_BODY = String.raw`(?:[A-Za-z0-9+/=\s\\"'\x60,#*>|]|${ARMOUR_HEADER})*?`;

/** A real newline, or the two characters `\n` of the JSON-escaped form. */
const NEWLINE = String.raw`(?:\r?\n|(?:\\r)?\\n)`;

const PEM_LINES = fakePem('RSA ', '\n');
const PEM_BODY_LINE = fakeSecret(64, BASE64);
/** Every fake body line starts with this, so it survives redaction exactly when some body line does. */
const KEY_MATERIAL = fakeSecret(40, BASE64);

/** A positive example whose secret is the key material, not the armour lines around it. */
function keyIn(before: string, block: string, after = ''): PositiveExample {
  return { text: `${before}${block}${after}`, secret: KEY_MATERIAL };
}

const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const JWT_PAYLOAD = Buffer.from(JSON.stringify({ sub: '1234567890', name: 'Example User', iat: 1700000000 })).toString('base64url');
const JWT = `${JWT_HEADER}.${JWT_PAYLOAD}.${fakeSecret(43)}`;
const BECH32 = 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L';
const AGE_KEY = `AGE-SECRET-KEY-1${fakeSecret(58, BECH32)}`;
const KUBE_KEY_DATA = Buffer.from(PEM_LINES).toString('base64');

export const KEY_AND_TOKEN_RULES: readonly BuiltinRule[] = [
  defineRule({
    id: 'private-key',
    description: 'PEM private key block (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP), across lines or JSON-escaped',
    pattern: String.raw`-----BEGIN ${KEY_TYPE}-----${PEM_BODY}-----END ${KEY_TYPE}-----`,
    positive: [
      keyIn('key.pem:\n', PEM_LINES, '\nend of file'),
      keyIn('{"private_key": "', fakePem('', '\\n'), '\\n"}'),
      keyIn('ssh_key: |\n  ', fakePem('OPENSSH ', '\n  '), '\nnext: value'),
      keyIn('', [pemArmour('BEGIN', 'PGP ', ' BLOCK'), 'Version: GnuPG v2', '', PEM_BODY_LINE, `=${fakeSecret(4)}`, pemArmour('END', 'PGP ', ' BLOCK')].join('\n')),
      keyIn('', [pemArmour('BEGIN', 'RSA '), 'Proc-Type: 4,ENCRYPTED', 'DEK-Info: AES-128-CBC,0123456789ABCDEF0123456789ABCDEF', '', PEM_BODY_LINE, pemArmour('END', 'RSA ')].join('\n')),
    ],
    negative: [
      `-----BEGIN PUBLIC KEY-----\n${PEM_BODY_LINE}\n-----END PUBLIC KEY-----`,
      `-----BEGIN CERTIFICATE-----\n${PEM_BODY_LINE}\n-----END CERTIFICATE-----`,
      `${pemArmour('BEGIN', 'RSA ')}\n${PEM_BODY_LINE}\n(truncated)`,
    ],
  }),
  defineRule({
    id: 'private-key-unterminated',
    description: 'PEM private key whose END line is missing (truncated file or excerpt): BEGIN line and following base64 lines',
    // After private-key, which has already replaced every complete block. Requires a base64 line
    // of key material, so a lone BEGIN line (a constant in PEM-handling code, a mention in docs)
    // is left alone; only whole lines are taken, so at most one following one-word line is
    // over-redacted.
    pattern: String.raw`-----BEGIN ${KEY_TYPE}-----(?:${NEWLINE}[ \t]*(?:${ARMOUR_HEADER})?)*${NEWLINE}[ \t]*[A-Za-z0-9+/=]{16,}(?:${NEWLINE}[ \t]*[A-Za-z0-9+/=]+)*`,
    positive: [
      keyIn('', PEM_LINES.split('\n').slice(0, 3).join('\n'), '\n... (truncated)'),
      keyIn('"', PEM_LINES.split('\n').slice(0, 3).join('\\n'), '"'),
    ],
    negative: [`-----BEGIN CERTIFICATE-----\n${PEM_BODY_LINE}`, `const header = '${pemArmour('BEGIN', 'RSA ')}';\nconst footer = '';`, `${pemArmour('BEGIN', '')}\n\nExplained below.`],
  }),
  defineRule({
    id: 'age-secret-key',
    description: 'age encryption secret key (AGE-SECRET-KEY-1…)',
    pattern: String.raw`\bAGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{20,}\b`,
    positive: [ex('# created: 2024-01-01\n', AGE_KEY)],
    negative: ['AGE-SECRET-KEY-1ABC', 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'],
  }),
  defineRule({
    id: 'jwt',
    description: 'JSON Web Token (eyJ….eyJ….signature), e.g. OIDC ID tokens, session and CI tokens',
    pattern: String.raw`\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]*`,
    positive: [ex('Authorization: Bearer ', JWT), ex('{"id_token":"', JWT, '"}')],
    negative: ['eyJhbGciOiJIUzI1NiJ9', 'eyJ.eyJ.', `${JWT_HEADER}.notbase64json.sig`],
  }),
  defineRule({
    id: 'kubernetes-private-key-data',
    description: 'Base64-encoded private key in a kubeconfig or Kubernetes secret (client-key-data, tls.key, ssh-privatekey)',
    pattern: String.raw`(?i)((?:client-key-data|tls\.key|ssh-privatekey)["']?[ \t]*:[ \t]*["']?)[A-Za-z0-9+/]{20,}={0,2}`,
    replacement: '$1[REDACTED:kubernetes-private-key-data]',
    positive: [ex('users:\n- name: admin\n  user:\n    client-key-data: ', KUBE_KEY_DATA), ex('data:\n  tls.key: ', KUBE_KEY_DATA)],
    negative: ['client-certificate-data: short', 'client-key-data: [REDACTED:kubernetes-private-key-data]'],
  }),
];
