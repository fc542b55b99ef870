/** A GitLab user as aigate needs it (from GET /user with the user's own token). */
export interface GitLabUser {
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  readonly state: string;
  readonly bot: boolean;
  /** GitLab sends is_admin only for admins; absent is not false, so only true counts. */
  readonly admin: boolean;
}

/** A project as this user sees it (GET /projects/:id with the user's own token). */
export interface GitLabProject {
  readonly id: number;
  /** Canonical full path (path_with_namespace), after any rename redirect. */
  readonly path: string;
  readonly visibility: 'private' | 'internal' | 'public';
  readonly archived: boolean;
  readonly defaultBranch: string | null;
  /** Highest of direct and inherited membership (0 = none). */
  readonly accessLevel: number;
}

export type GitLabFailure = {
  readonly ok: false;
  /**
   * unauthorized: token unknown, expired or revoked; forbidden: visible but not allowed (or token
   * scope too narrow); not_found: absent or invisible (GitLab does not tell them apart); unavailable:
   * network error, timeout, 5xx or 429; too_large: body above the cap.
   */
  readonly kind: 'unauthorized' | 'forbidden' | 'not_found' | 'unavailable' | 'too_large' | 'bad_request';
  readonly status: number | null;
  readonly message: string;
  /** Seconds GitLab asked to wait (429). */
  readonly retryAfter?: number;
};

export type GitLabResult<T> = { readonly ok: true; readonly value: T } | GitLabFailure;

/** Reporter (20) and above may read a private project's code. */
export const REPORTER = 20;
