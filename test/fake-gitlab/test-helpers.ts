import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import { startFakeGitLab, type FakeGitLab } from './fake-gitlab.ts';
import { loadFixturesFile } from './fixtures-file.ts';

export const EXAMPLE_FIXTURES_PATH = fileURLToPath(new URL('./fixtures.example.yml', import.meta.url));

/** A fresh fake (from fixtures.example.yml) per test, closed afterwards. */
export function useFakeGitLab(): () => FakeGitLab {
  let fake: FakeGitLab | undefined;
  beforeEach(async () => {
    fake = await startFakeGitLab({ fixtures: loadFixturesFile(EXAMPLE_FIXTURES_PATH) });
  });
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  return () => {
    if (!fake) throw new Error('fake gitlab is not running');
    return fake;
  };
}

export interface CallOptions {
  token?: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface CallResult {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** One request without following redirects; `token` goes in PRIVATE-TOKEN. */
export async function call(fake: FakeGitLab, path: string, options: CallOptions = {}): Promise<CallResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['PRIVATE-TOKEN'] = options.token;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${fake.url}${path}`, {
    method: options.method ?? 'GET',
    headers,
    redirect: 'manual',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const P7 = encodeURIComponent('acme/platform/api-service');
