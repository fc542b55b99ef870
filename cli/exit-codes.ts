/**
 * Stable exit codes of the `aigate` CLI. Pipelines branch on these, so they never change meaning.
 */
export const EXIT = {
  /** Success (warnings allowed unless a command's `--strict` says otherwise). */
  ok: 0,
  /** The input is invalid, or the policy denies / loosens what was asked. */
  failed: 1,
  /** Bad command line or configuration: the user must fix how aigate was invoked. */
  usage: 2,
  /** A bug in aigate (sysexits EX_SOFTWARE). */
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
