import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Decision } from '../../policy/decide.ts';
import type { ProviderId } from '../../policy/providers.ts';
import type { GitLabProject, GitLabUser } from '../gitlab/gitlab-types.ts';

/** How errors are written back: aigate's own JSON, or the provider API the client speaks. */
export type ErrorFormat = 'aigate' | 'anthropic' | 'openai';

/**
 * Everything one request accumulates on its way through the stages. The audit record is built from
 * it in the pipeline's `finally`, whatever happened. The GitLab token lives here only for the
 * request's duration and is never copied into the record, a log line or an error.
 */
export interface RequestContext {
  readonly id: string;
  readonly time: Date;
  /** performance.now() at arrival, for latencies. */
  readonly start: number;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly route: string;
  errorFormat: ErrorFormat;
  token?: string;
  user?: GitLabUser;
  /** The repository as the client named it (X-AI-Repo or ?repo=). */
  repoRequested?: string;
  project?: GitLabProject;
  provider?: ProviderId;
  model?: string;
  stream?: boolean;
  decision?: Decision;
  file?: string;
  /** Outcome, set by whoever answers. */
  outcome: { decision: 'allow' | 'deny' | 'error'; reason: string | null; status: number };
  readonly redactions: Record<string, number>;
  readonly withheld: string[];
  bytesIn: number;
  bytesOut: number;
  upstreamStatus: number | null;
  keyIndex: number | null;
  /** ms after start when the first response byte went out. */
  ttfb: number | null;
  upstreamMs: number | null;
  gitlabMs: number;
  unscoped: boolean;
  /** Provider routes: the parsed JSON body, redacted in place before it is forwarded. */
  body?: Record<string, unknown>;
}
