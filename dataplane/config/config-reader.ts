import { parseDuration } from '../../policy/duration.ts';

/**
 * Reads typed values out of the schema-checked configuration, collecting problems (each placed by
 * `where` at its line in the file) instead of stopping at the first.
 */
export interface ConfigReader {
  readonly problems: string[];
  readonly where: (message: string) => string;
  /** A duration setting in ms (500ms, 30s, 5m, or seconds), or `fallback` when absent. */
  duration(value: unknown, fallback: number, key: string): number;
  /** Resolves `{env: NAME}`; a missing variable is a problem naming the variable, never a value. */
  secret(ref: { env: string } | undefined, key: string): string | undefined;
}

export function configReader(env: Readonly<Record<string, string | undefined>>, problems: string[], where: (message: string) => string): ConfigReader {
  return {
    problems,
    where,
    duration(value, fallback, key) {
      if (value === undefined) return fallback;
      const ms = parseDuration(value as string | number);
      if (ms === undefined) problems.push(where(`${key} is not a duration (write 500ms, 30s, 5m)`));
      return ms ?? fallback;
    },
    secret(ref, key) {
      if (ref === undefined) return undefined;
      const value = env[ref.env];
      if (!value) problems.push(where(`${key}: environment variable ${ref.env} is not set`));
      return value || undefined;
    },
  };
}
