/** The world a fake GitLab starts with: plain data, loadable from YAML/JSON (see fixtures-file.ts). */

export type Visibility = 'private' | 'internal' | 'public';

export type TokenKind = 'pat' | 'oauth' | 'job' | 'project' | 'group';

/** File content: text, or bytes for binary files (YAML `!!binary`, or a Uint8Array from a test). */
export type FileContent = string | Uint8Array;

export interface FixtureUser {
  id: number;
  username: string;
  name?: string;
  email: string;
  admin?: boolean;
  bot?: boolean;
  external?: boolean;
  state?: 'active' | 'blocked';
}

export interface FixtureToken {
  value: string;
  kind: TokenKind;
  /** Username the token authenticates as (a bot user for project/group tokens). */
  user: string;
  scopes: string[];
  /** YYYY-MM-DD; the token stops working on that day (UTC), as GitLab's date-only expiry does. */
  expires_at?: string;
  revoked?: boolean;
  /** Job tokens: full path of the job's project (the only project the token may read). */
  project?: string;
  name?: string;
}

export interface FixtureMember {
  user: string;
  access_level: number;
}

export interface FixtureGroup {
  id: number;
  /** Full path, e.g. `acme/platform`; missing ancestors are created as private groups. */
  path: string;
  name?: string;
  visibility?: Visibility;
  members?: FixtureMember[];
}

export interface FixtureProject {
  id: number;
  /** Full path, e.g. `acme/platform/api`. */
  path: string;
  name?: string;
  visibility: Visibility;
  archived?: boolean;
  /** Defaults to `main`. */
  default_branch?: string;
  members?: FixtureMember[];
  /**
   * Files on the default branch (one initial commit). Omitted together with `branches`: an empty
   * repository (no commits).
   */
  files?: Record<string, FileContent>;
  /**
   * Extra branches: each is one commit on top of the default branch that overlays these files
   * (`null` deletes a file), so `compare` from the default branch shows exactly these changes.
   */
  branches?: Record<string, Record<string, FileContent | null>>;
  /** Old full paths that redirect (301) to this project. */
  redirects?: string[];
}

export interface FakeGitLabFixtures {
  users: FixtureUser[];
  tokens: FixtureToken[];
  groups?: FixtureGroup[];
  projects: FixtureProject[];
}
