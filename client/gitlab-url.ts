import { UsageError } from '../cli/exit-error.ts';

/**
 * A GitLab base URL as users type it: a bare host gets `https://`, trailing slashes go, a relative
 * URL root (`https://host/gitlab`) stays. The result keys the stored login.
 */
export function normalizeGitLabUrl(command: string, value: string): string {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`aigate ${command}: --gitlab is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`aigate ${command}: --gitlab must be an http(s) URL`);
  if (url.username || url.password || url.search || url.hash) throw new UsageError(`aigate ${command}: --gitlab must not carry credentials, a query or a fragment`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
