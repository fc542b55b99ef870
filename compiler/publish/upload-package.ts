import { encodeId, type GitLabClient } from '../gitlab/gitlab-client.ts';

export interface PackageTarget {
  /** Project id or full path that holds the package. */
  readonly project: string;
  /** Generic package name (default aigate-bundle). */
  readonly name: string;
}

export const PACKAGE_FILE = 'bundle.json';

/**
 * Uploads the bundle to GitLab's generic package registry twice: as version `<serial>` (immutable
 * history) and as version `current` (a fixed URL proxies can poll; GitLab serves the newest file of
 * a name). Proxies verify the signature, so the registry is only a transport.
 */
export async function uploadBundlePackage(client: GitLabClient, target: PackageTarget, text: string, serial: number): Promise<string[]> {
  const urls: string[] = [];
  for (const version of [String(serial), 'current']) {
    const path = `projects/${encodeId(target.project)}/packages/generic/${encodeId(target.name)}/${version}/${PACKAGE_FILE}`;
    await client.request('PUT', path, { body: text, contentType: 'application/octet-stream' });
    urls.push(`${client.url}/api/v4/${path}`);
  }
  return urls;
}
