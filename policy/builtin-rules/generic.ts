import type { BuiltinRule } from './builtin-rule.ts';
import { defineRule, ex } from './define-rule.ts';
import { BASE64, fakeSecret } from './fake-secret.ts';
import {
  CONSTANT_CASE,
  classesFor,
  HEADER_CREDENTIAL,
  keyedValue,
  markedValue,
  QUOTED,
  SECRET_KEY_NAME,
  UNQUOTED_ENV,
  UNQUOTED_LINE,
  URL_PASSWORD,
  WORD,
  WORDS,
  XML,
} from './generic-syntax.ts';

/** `"db_password": "`: a quoted key (JSON, Python or PHP dict, map index), separator, opening quote. */
const quotedKey = (key: string): string => String.raw`\\?["'][\w.-]*${key}\\?["']\]?[ \t]*(?::|=>|=)[ \t]*\\?["']`;

/**
 * `apiKey = '`: a key, an optional type annotation (`password: str = "…"`), a separator (`=`,
 * `:=` in Go, `=>` in Ruby and PHP, `:` in YAML and JS objects) and an opening quote. `==`,
 * `===` and `!=` never match: the quote must follow the separator.
 */
const assignedKey = (key: string): string => String.raw`[\w.-]*${key}[ \t]*(?::[ \t]*[A-Za-z_][\w.]*[ \t]*)?(?::=|=>|=|:)[ \t]*\\?["'\x60]`;

/** `<password>`, `<ns:db.password>`. */
const xmlElement = (key: string): string => String.raw`<[\w:.-]*${key}>`;

/** `key="DbPassword" value="` (.NET appSettings), `name="db.password" value="` (Spring). */
const xmlKeyValue = (key: string): string => String.raw`\b(?i:key|name)="[\w.:-]*${key}"[ \t]+(?i:value)="`;

/** `DB_PASSWORD=`. */
const envKey = (key: string): string => String.raw`[\w.-]*${key}=`;

/** The closing quote, possibly JSON-escaped, put back by the replacement. */
const CLOSING_QUOTE = String.raw`(\\?["'\x60])`;

/**
 * What must follow an unquoted `KEY=value`, so `password=getPassword()` is not cut in half; RE2
 * has no lookahead, so it is matched and put back.
 */
const ENV_DELIMITER = String.raw`([\s;&"']|$)`;

const TOKEN = fakeSecret(32);
const BASIC = Buffer.from('deploy:s3cr3t-pw').toString('base64');

/**
 * Rules that recognise a secret by where it stands rather than by its format. They run last, after
 * every specific rule, so a known token inside an assignment is recorded under its own id and the
 * value these rules then see starts with `[` and is left alone.
 */
export const GENERIC_RULES: readonly BuiltinRule[] = [
  defineRule({
    id: 'url-credentials',
    description: 'Password in a URL (scheme://user:password@host); scheme, user and host are kept',
    // The password runs to the last `@` before the path, so an unencoded `@` in it is covered.
    pattern: String.raw`(\b(?i:[a-z][a-z0-9+.-]*)://[^\s:@/?#\[\]"'<>]*:)${markedValue(classesFor(URL_PASSWORD, CONSTANT_CASE), 2)}(@)`,
    replacement: '$1[REDACTED:url-credentials]$2',
    positive: [
      ex('postgres://app:', 's3cret', '@db/x'),
      ex('git clone https://oauth2:', 'AbC9xYz.123', '@gitlab.example.com/group/repo.git'),
      ex('REDIS_URL=redis://:', 'p@ssw0rd', '@cache:6379/0'),
    ],
    negative: ['https://example.com:8443/path?x=a@b', 'postgres://app:${DB_PASSWORD}@db/x', 'postgres://app:@db/x', 'https://USER:PASSWORD@host/', 'git@gitlab.com:group/repo.git', 'postgres://app:[REDACTED:url-credentials]@db/x'],
  }),
  defineRule({
    id: 'authorization-header',
    description: 'Credentials in an Authorization header (Bearer, Basic, token, Bot); header and scheme are kept',
    pattern: String.raw`(\b(?i:(?:proxy-)?authorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|basic|token|bot))[ \t]+)${markedValue(HEADER_CREDENTIAL, 6)}=*`,
    replacement: '$1[REDACTED:authorization-header]',
    positive: [
      ex('Authorization: Bearer ', TOKEN),
      ex('curl -H "Authorization: Basic ', BASIC, '" https://api.example.com'),
      ex('headers = {"Authorization": "token ', TOKEN, '"}'),
    ],
    negative: ['Authorization: Bearer ${TOKEN}', 'Authorization: Bearer <token>', 'Authorization: Bearer YOUR_API_TOKEN', 'authorization: string', 'Authorization: Bearer [REDACTED:jwt]'],
  }),
  defineRule({
    id: 'bearer-token',
    description: 'A long token after the word Bearer outside an Authorization header',
    pattern: String.raw`(?i)(\bbearer[ \t]+)[A-Za-z0-9._~+/-]{20,}=*`,
    replacement: '$1[REDACTED:bearer-token]',
    positive: [ex("-H 'X-Forwarded-Auth: Bearer ", TOKEN, "'")],
    negative: ['Bearer tokens are sent in a header', 'Bearer ${API_TOKEN}', 'Bearer [REDACTED:bearer-token]'],
  }),
  defineRule({
    id: 'netrc-password',
    description: 'Password in a .netrc entry (machine … login … password …)',
    pattern: String.raw`(\bmachine[ \t]+\S+\s+login[ \t]+\S+\s+password[ \t]+)${markedValue(classesFor(WORD, CONSTANT_CASE), 2)}`,
    replacement: '$1[REDACTED:netrc-password]',
    positive: [ex('machine gitlab.example.com login deploy password ', 'S3cr3t-value'), ex('machine api.example.com\n  login me\n  password ', 'hunter22')],
    negative: ['machine gitlab.example.com login deploy', 'machine x login y password $NETRC_PASSWORD', "f'machine {host} login {user} password {self.password}'", 'machine x login y password REDACTED'],
  }),
  defineRule({
    id: 'generic-secret-json',
    description: 'Secret-named key in JSON, a Python or PHP dict, or a map index ("password": "…", [\'api_key\'] = \'…\'); key and quotes are kept',
    pattern: `${keyedValue(quotedKey, QUOTED, 6)}${CLOSING_QUOTE}`,
    replacement: '$1$2[REDACTED:generic-secret-json]$3',
    positive: [
      ex('{"password": "', 'hunter22', '"}'),
      ex('{"db_api_key":"', TOKEN, '","x":1}'),
      ex("settings = {'client_secret': '", 'xYz-9876_abc', "'}"),
      ex('{\\"auth_token\\": \\"', TOKEN, '\\"}'),
      ex("$config['smtp_password'] = '", 'Tr0ub4dor&3', "';"),
    ],
    negative: [
      '"password": ""',
      '"password": null',
      '"token": "${TOKEN}"',
      '"passwordHint": "ask the admin"',
      '{"PWD": "/home/alice/project"}',
      '"password": "Enter your password"',
      '{"access_token": "access_token", "authToken": "INCRBY"}',
      '"token": "[REDACTED:gitlab-pat]"',
    ],
  }),
  defineRule({
    id: 'generic-secret-xml',
    description: 'Secret-named XML element (<password>…</password>); tags are kept',
    // The closing tag is required: `(?P<auth>\S+)` in a Python regex is not an element.
    pattern: `${keyedValue(xmlElement, XML, 6)}(</)`,
    replacement: '$1$2[REDACTED:generic-secret-xml]$3',
    positive: [
      ex('<server><id>nexus</id><password>', 'hunter22', '</password></server>'),
      ex('<cfg:apiKey>', TOKEN, '</cfg:apiKey>'),
    ],
    negative: [
      '<password></password>',
      '<password>${env.NEXUS_PASSWORD}</password>',
      '<passwordPolicy>strict123</passwordPolicy>',
      '<authToken>placeholder</authToken>',
      String.raw`re.compile(r"(?P<auth>\S+(?::\S*)?)@)?")`,
      '<token>[REDACTED:gitlab-pat]</token>',
    ],
  }),
  defineRule({
    id: 'generic-secret-xml-attribute',
    description: 'Secret-named key/value attribute pair (<add key="ApiKey" value="…"/>, <property name="db.password" value="…"/>)',
    pattern: `${keyedValue(xmlKeyValue, XML, 6)}(")`,
    replacement: '$1$2[REDACTED:generic-secret-xml-attribute]$3',
    positive: [ex('<add key="StripeApiKey" value="', TOKEN, '" />'), ex('<property name="db.password" value="', 's3cr3t!', '"/>')],
    negative: ['<add key="ApiKey" value="" />', '<add key="DbPassword" value="$(DB_PASSWORD)" />', '<add key="TokenLifetime" value="00:30:00" />', '<add key="ApiKey" value="[REDACTED:generic-secret-xml-attribute]" />'],
  }),
  defineRule({
    id: 'generic-secret-assignment',
    description: 'Quoted value assigned to a secret-named variable or key (code, YAML, TOML, INI, .env); key and quotes are kept',
    pattern: `${keyedValue(assignedKey, QUOTED, 6)}${CLOSING_QUOTE}`,
    replacement: '$1$2[REDACTED:generic-secret-assignment]$3',
    positive: [
      ex('password = "', 'hunter2', '"'),
      ex("POSTGRES_PASSWORD: '", 'postgres', "'"),
      ex('{ password: "', 'swordfish', '" }'),
      ex("const stripeApiKey = '", TOKEN, "';"),
      ex('$password = "', 'Tr0ub4dor&3', '";'),
      ex('token := "', TOKEN, '"'),
      ex('DB_PASSWORD: "', 's3cr3t-value', '"'),
      ex('export GITLAB_TOKEN="', TOKEN, '"'),
      ex('def connect(password: str = "', 'default-pw1', '"):'),
      ex('SECRET_KEY = \'', `django-insecure-${fakeSecret(20)}`, "'"),
    ],
    negative: [
      'password = ""',
      'password = "${DB_PASSWORD}"',
      'apiKey = process.env.API_KEY',
      'password: string',
      'if (token == "expected1") {}',
      'password = "<your password>"',
      'secret = "{{ .Values.secret }}"',
      'passwordLabel = "Password please"',
      'password = "CHANGEME"',
      "const GRANT = { access_token: 'access_token', refresh_token: 'refresh_token' }",
      'password = "[REDACTED:generic-secret-assignment]"',
      'token: "[REDACTED:gitlab-pat]"',
    ],
  }),
  defineRule({
    id: 'generic-secret-env',
    description: 'Unquoted KEY=value with a secret-named key (.env, shell, URL query, connection string); key is kept',
    pattern: `(?m)${keyedValue(envKey, UNQUOTED_ENV, 6)}${ENV_DELIMITER}`,
    replacement: '$1$2[REDACTED:generic-secret-env]$3',
    positive: [
      ex('DB_PASSWORD=', 'hunter2'),
      ex('POSTGRES_PASSWORD=', 'postgres', '\n'),
      ex('export GITLAB_TOKEN=', TOKEN, '\nexport OTHER=1'),
      ex('Server=db;User Id=app;Password=', 's3cr3tPW', ';'),
      ex('https://api.example.com/v1/items?api_key=', TOKEN, '&page=2'),
      ex('mysql --password=', 'hunter22', ' -u root'),
    ],
    negative: [
      'DB_PASSWORD=',
      'DB_PASSWORD=${SECRET}',
      'PWD=/home/alice/project',
      'token==abc123456',
      'connect(password=db_password)',
      'a.token=e.token;',
      'DB_PASSWORD=YOUR_PASSWORD',
      'password=REDACTED',
      'TOKEN="quoted-value"',
      'TOKEN=[REDACTED:gitlab-pat]',
    ],
  }),
  defineRule({
    id: 'generic-secret-config',
    description: 'Unquoted value on a `key: value` / `key = value` line with a secret-named key (YAML, INI, properties, HTTP headers); key is kept',
    // The value must run to the end of the line (or a # comment) and contain a digit or symbol:
    // that keeps prose ("Password: please enter it"), words (`auth: required`) and code
    // (`password = config.password`, `token = os.environ["X"]`) out.
    pattern: String.raw`(?m)^([ \t]*(?:(?:#+|//+|;+)[ \t]*)?(?:-[ \t]+)?(?:export[ \t]+)?[\w.-]*${SECRET_KEY_NAME}[ \t]*(?::=|[:=])[ \t]*)${markedValue(classesFor(UNQUOTED_LINE, WORDS), 6)}((?:[ \t]+#[^\n]*)?[ \t]*\r?)$`,
    replacement: '$1[REDACTED:generic-secret-config]$2',
    positive: [
      ex('database:\n  password: ', 's3cr3t!x', '\n  host: db'),
      ex('[production]\napi_key = ', fakeSecret(24, BASE64), ' # rotated monthly\nregion = eu-west-1'),
      ex('users:\n  - token: ', 'ab12cd34ef', '\n    name: ci'),
      ex('GET /v1/items HTTP/1.1\nX-Api-Key: ', TOKEN, '\r\nAccept: */*'),
      ex('# old credentials\n# password: ', 'hunter22', '\nuser: me'),
      ex('spring.datasource.username = app\nspring.datasource.password = ', 'Sup3r-secret', '\nspring.jpa.show-sql = true'),
    ],
    negative: [
      'password: string',
      'auth: required',
      'secret: my-secret-name',
      'Password: please enter your password',
      'password = config.password',
      'password = os.environ["DB_PASSWORD"]',
      'apiKey = process.env.API_KEY;',
      'password: ${DB_PASSWORD}',
      'PWD = /home/alice',
      'token: [REDACTED:gitlab-pat]',
      'token == null',
    ],
  }),
];
