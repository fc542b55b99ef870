import type { BuiltinRule } from './builtin-rule.ts';
import { defineRule, ex } from './define-rule.ts';
import { BASE64, fakeSecret, HEX } from './fake-secret.ts';
import { CONSTANT_CASE, classesFor, markedValue, NPMRC } from './generic-syntax.ts';

const NPM_TOKEN = `npm_${fakeSecret(36)}`;
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const PACKAGE_REGISTRY_RULES: readonly BuiltinRule[] = [
  defineRule({
    id: 'npm-token',
    description: 'npm access token (npm_)',
    pattern: String.raw`\bnpm_[A-Za-z0-9]{30,}\b`,
    positive: [ex('//registry.npmjs.org/:_authToken=', NPM_TOKEN), ex('NPM_TOKEN=', NPM_TOKEN)],
    negative: ['npm_abc123', 'npm_config_registry=https://registry.npmjs.org/'],
  }),
  defineRule({
    id: 'npmrc-auth',
    description: '.npmrc / .yarnrc credential (_authToken=, _auth=, _password=); registry and key are kept',
    // After npm-token: an npm_ token is already redacted, this catches other registries' tokens.
    pattern: String.raw`(?m)((?:^|:)_(?:authToken|auth|password)[ \t]*=[ \t]*)${markedValue(classesFor(NPMRC, CONSTANT_CASE), 6)}`,
    replacement: '$1[REDACTED:npmrc-auth]',
    positive: [
      ex('//gitlab.example.com/api/v4/packages/npm/:_authToken=', fakeSecret(20)),
      ex('_auth=', fakeSecret(24, BASE64)),
      ex('//nexus.example.com/:_password=', fakeSecret(16, BASE64)),
    ],
    negative: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}', '_authToken=', '//nexus.example.com/:_password=REDACTED', '//r/:_authToken=[REDACTED:npm-token]'],
  }),
  defineRule({
    id: 'pypi-upload-token',
    description: 'PyPI or TestPyPI API token (pypi-AgEIcHlwaS5vcmc…)',
    pattern: String.raw`\bpypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[\w-]{20,}`,
    positive: [ex('password = ', `pypi-AgEIcHlwaS5vcmc${fakeSecret(70)}`), ex('TWINE_PASSWORD=', `pypi-AgENdGVzdC5weXBpLm9yZw${fakeSecret(70)}`)],
    negative: ['pypi-AgEIcHlwaS5vcmcShort', 'username = __token__'],
  }),
  defineRule({
    id: 'rubygems-api-key',
    description: 'RubyGems API key (rubygems_)',
    pattern: String.raw`\brubygems_[a-f0-9]{20,}\b`,
    positive: [ex(':rubygems_api_key: ', `rubygems_${fakeSecret(48, HEX)}`)],
    negative: ['rubygems_api_key', 'rubygems_0123abcd'],
  }),
  defineRule({
    id: 'nuget-api-key',
    description: 'NuGet.org API key (oy2…)',
    pattern: String.raw`\boy2[a-z0-9]{43}\b`,
    positive: [ex('dotnet nuget push pkg.nupkg --api-key ', `oy2${fakeSecret(43, LOWER_ALNUM)}`)],
    negative: ['oy2abc', `oy2${fakeSecret(43, LOWER_ALNUM)}xyz`],
  }),
  defineRule({
    id: 'docker-hub-token',
    description: 'Docker Hub personal or organization access token (dckr_pat_, dckr_oat_)',
    pattern: String.raw`\bdckr_(?:pat|oat)_[\w-]{20,}`,
    positive: [ex('docker login -u me -p ', `dckr_pat_${fakeSecret(27)}`)],
    negative: ['dckr_pat_abc', 'tokens start with dckr_pat_'],
  }),
];
