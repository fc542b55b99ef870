import type { FaultControl, FaultSpec } from './faults.ts';
import { jsonReply, type Reply } from './reply.ts';
import type { FakeGitLabState } from './state.ts';

/** State methods a fake in another process may be driven with. */
const STATE_METHODS = new Set<keyof FakeGitLabState>([
  'addUser', 'addToken', 'revokeToken', 'expireToken', 'addGroup', 'addProject', 'removeProject', 'renameProject',
  'transferProject', 'setArchived', 'setVisibility', 'addMember', 'removeMember', 'commitFiles', 'project', 'group', 'user', 'token',
]);

export const CONTROL_PREFIX = '/__fake/';

/** JSON view of a result: Maps become objects; a project is summarised (no file bytes). */
function serializable(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, serializable(v)]));
  if (typeof value === 'object' && value !== null && 'repo' in value) {
    const { repo, ...rest } = value as { repo: { branches: Map<string, string> } } & Record<string, unknown>;
    return { ...(serializable(rest) as object), branches: Object.fromEntries(repo.branches) };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serializable(v)]));
  return value;
}

function parseFault(body: unknown): FaultSpec {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('fault must be a JSON object');
  const { paths, ...rest } = body as Record<string, unknown>;
  const known = new Set(['rateLimit', 'badGateway', 'latencyMs', 'down', 'graphqlComplexity', 'times']);
  const unknown = Object.keys(rest).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new Error(`unknown fault field(s): ${unknown.join(', ')}`);
  if (paths !== undefined && typeof paths !== 'string') throw new Error('paths must be a regular expression string');
  return { ...(rest as FaultSpec), ...(typeof paths === 'string' ? { paths: new RegExp(paths) } : {}) };
}

/**
 * `POST /__fake/faults` (JSON fault, `paths` as a regex string), `DELETE /__fake/faults`,
 * `POST /__fake/state/<method>` (JSON array of arguments) → `{"result": ...}`. Nothing else.
 */
export function controlApi(method: string, rawPath: string, body: Buffer, faults: FaultControl, state: FakeGitLabState): Reply {
  const route = rawPath.slice(CONTROL_PREFIX.length);
  try {
    const parsed: unknown = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    if (route === 'faults' && method === 'POST') {
      faults.set(parseFault(parsed));
      return jsonReply(200, { ok: true });
    }
    if (route === 'faults' && method === 'DELETE') {
      faults.clear();
      return jsonReply(200, { ok: true });
    }
    const name = route.startsWith('state/') ? route.slice('state/'.length) : '';
    if (method === 'POST' && STATE_METHODS.has(name as keyof FakeGitLabState)) {
      const args = parsed ?? [];
      if (!Array.isArray(args)) throw new Error('state arguments must be a JSON array');
      const fn = state[name as keyof FakeGitLabState] as (...a: unknown[]) => unknown;
      return jsonReply(200, { result: serializable(fn(...args)) });
    }
  } catch (error) {
    return jsonReply(400, { error: (error as Error).message });
  }
  return jsonReply(404, { error: `no control route ${method} ${rawPath}` });
}
