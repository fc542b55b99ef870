import type { ServiceCode } from '../codes.ts';

/**
 * A failed GitLab call. The message names the method, the path (without the query) and the
 * status, never a token: callers log it as is.
 */
export class GitLabError extends Error {
  readonly code: ServiceCode;
  readonly status: number;

  constructor(code: ServiceCode, message: string, status = 0) {
    super(message);
    this.name = 'GitLabError';
    this.code = code;
    this.status = status;
  }
}
