import type { TokenKind, Visibility } from './fixture-types.ts';
import type { Repository } from './repository.ts';

/** Access levels (GitLab's numbers). */
export const GUEST = 10;
export const REPORTER = 20;
export const OWNER = 50;

/** Fixed clock for timestamps so every SHA and date the fake produces is deterministic. */
export const EPOCH_SECONDS = Date.UTC(2025, 0, 1) / 1000;

export function isoAt(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

export interface UserRecord {
  id: number;
  username: string;
  name: string;
  email: string;
  admin: boolean;
  bot: boolean;
  external: boolean;
  state: 'active' | 'blocked';
}

export interface TokenRecord {
  id: number;
  value: string;
  kind: TokenKind;
  username: string;
  scopes: string[];
  /** YYYY-MM-DD or null (never expires). */
  expiresAt: string | null;
  revoked: boolean;
  /** Job tokens: the job's project full path. */
  project: string | null;
  name: string;
}

/** Members are keyed by lower-cased username (GitLab usernames are case-insensitive). */
export type Members = Map<string, number>;

export interface GroupRecord {
  id: number;
  fullPath: string;
  name: string;
  visibility: Visibility;
  members: Members;
}

export interface ProjectRecord {
  id: number;
  fullPath: string;
  name: string;
  visibility: Visibility;
  archived: boolean;
  defaultBranch: string;
  members: Members;
  repo: Repository;
  /** Epoch seconds of the last change (push, rename, archive...). */
  lastActivity: number;
}

export function createdAtOf(id: number): number {
  return EPOCH_SECONDS + id * 60;
}

export function lastSegment(fullPath: string): string {
  return fullPath.slice(fullPath.lastIndexOf('/') + 1);
}

export function parentPath(fullPath: string): string {
  const i = fullPath.lastIndexOf('/');
  return i < 0 ? '' : fullPath.slice(0, i);
}
