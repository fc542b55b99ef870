/** GitLab.com's AI gateway (Cloud Connector base + `/ai`). */
export const DEFAULT_GATEWAY_URL = 'https://cloud.gitlab.com/ai';

const PROXY_SUFFIX = /\/v1\/proxy\/(anthropic|openai)(\/v1)?$/;

/**
 * The gateway root that `/v1/proxy/…` paths are appended to: trailing slashes and a pasted proxy
 * suffix (Claude Code's `…/v1/proxy/anthropic`) are removed, and a bare `cloud.gitlab.com` gets its
 * `/ai` mount. Only http(s) URLs are accepted.
 */
export function normalizeGatewayUrl(value: string): string {
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`gateway URL must be http(s): ${url.protocol}`);
  let path = url.pathname.replace(/\/+$/, '').replace(PROXY_SUFFIX, '');
  if (path === '' && url.hostname === 'cloud.gitlab.com') path = '/ai';
  return `${url.origin}${path}`;
}

/** The full URL of a gateway path (`/v1/proxy/anthropic/v1/messages`) under a normalized root. */
export function gatewayUrlFor(root: string, gatewayPath: string): string {
  return `${root}${gatewayPath}`;
}
