/** Alphabets that token formats draw from. */
export const ALNUM = 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYz';
export const LETTERS = 'aBcDeFgHiJkLmNoPqRsTuVwXyZ';
export const HEX = '0123456789abcdef';
export const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const BASE64 = 'aB3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xYz+/c';

/**
 * A deterministic, obviously fake but format-valid secret of `length` characters from `alphabet`.
 * Examples are assembled at load time so the source holds no literal that secret scanners (GitLab
 * push protection, gitleaks) would flag and block the commit for.
 */
export function fakeSecret(length: number, alphabet: string = ALNUM): string {
  let out = '';
  // A step of 7 walks the whole alphabet when its length is not a multiple of 7.
  for (let i = 0; i < length; i++) out += alphabet.charAt((i * 7) % alphabet.length);
  return out;
}

/**
 * A PEM BEGIN or END armour line for a private key of `type` (`RSA `, `PGP `, or empty), assembled
 * from pieces so this source does not itself look like a key to a scanner.
 */
export function pemArmour(edge: 'BEGIN' | 'END', type: string, suffix = ''): string {
  return ['-----', edge, ' ', type, 'PRIVATE KEY', suffix, '-----'].join('');
}

/**
 * A fake PEM private-key block. `newline` is `\n`, or the two characters `\\n` for the JSON-escaped
 * form found in GCP service-account files.
 */
export function fakePem(type: string, newline: string, bodyLines = 3): string {
  const body = Array.from({ length: bodyLines }, (_, i) => fakeSecret(64 - i, BASE64));
  return [pemArmour('BEGIN', type), ...body, pemArmour('END', type)].join(newline);
}
