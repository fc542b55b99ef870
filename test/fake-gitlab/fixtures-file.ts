import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { FakeGitLabFixtures } from './fixture-types.ts';

/**
 * Reads fixtures from YAML or JSON (JSON is YAML). `!!binary` values become bytes. The shape is
 * checked enough that a typo fails here, with the path of the bad entry, not as a puzzling 404.
 */
export function loadFixturesFile(file: string): FakeGitLabFixtures {
  return parseFixtures(readFileSync(file, 'utf8'), file);
}

export function parseFixtures(text: string, source = 'fixtures'): FakeGitLabFixtures {
  const data: unknown = parse(text, { customTags: ['binary'] });
  const problems = fixtureProblems(data);
  if (problems.length > 0) throw new Error(`${source}: invalid fake GitLab fixtures:\n  ${problems.join('\n  ')}`);
  return data as FakeGitLabFixtures;
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const int: Check = (v) => Number.isInteger(v);
const bool: Check = (v) => typeof v === 'boolean';
const oneOf = (...values: string[]): Check => (v) => values.includes(v as string);
const strList: Check = (v) => Array.isArray(v) && v.every(str);
const content: Check = (v) => typeof v === 'string' || v instanceof Uint8Array;
const fileMap = (allowNull: boolean): Check => (v) => isObject(v) && Object.values(v).every((c) => content(c) || (allowNull && c === null));
const members: Check = (v) => Array.isArray(v) && v.every((m) => isObject(m) && str(m.user) && int(m.access_level));
const visibility = oneOf('private', 'internal', 'public');

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

const SHAPES: Record<string, { required: Record<string, Check>; optional: Record<string, Check> }> = {
  users: { required: { id: int, username: str, email: str }, optional: { name: str, admin: bool, bot: bool, external: bool, state: oneOf('active', 'blocked') } },
  tokens: { required: { value: str, kind: oneOf('pat', 'oauth', 'job', 'project', 'group'), user: str, scopes: strList }, optional: { expires_at: (v) => str(v) && /^\d{4}-\d{2}-\d{2}$/.test(v as string), revoked: bool, project: str, name: str } },
  groups: { required: { id: int, path: str }, optional: { name: str, visibility, members } },
  projects: {
    required: { id: int, path: str, visibility },
    optional: { name: str, archived: bool, default_branch: str, members, files: fileMap(false), branches: (v) => isObject(v) && Object.values(v).every(fileMap(true)), redirects: strList },
  },
};

export function fixtureProblems(data: unknown): string[] {
  if (!isObject(data)) return ['top level must be a mapping with users, tokens, projects (and optional groups)'];
  const problems: string[] = [];
  for (const [section, shape] of Object.entries(SHAPES)) {
    const list = data[section];
    if (list === undefined && section === 'groups') continue;
    if (!Array.isArray(list)) {
      problems.push(`${section}: must be a list`);
      continue;
    }
    list.forEach((item: unknown, i) => {
      const at = `${section}[${i}]`;
      if (!isObject(item)) return void problems.push(`${at}: must be a mapping`);
      for (const [key, check] of Object.entries(shape.required)) if (!check(item[key])) problems.push(`${at}.${key}: missing or invalid`);
      for (const [key, value] of Object.entries(item)) {
        const check = shape.required[key] ?? shape.optional[key];
        if (!check) problems.push(`${at}.${key}: unknown field`);
        else if (!(key in shape.required) && !check(value)) problems.push(`${at}.${key}: invalid`);
      }
    });
  }
  for (const key of Object.keys(data)) if (!(key in SHAPES)) problems.push(`${key}: unknown section`);
  return problems;
}
