import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `node:util.parseArgs` with strict checking, whose errors become usage errors (exit 2) that name
 * the command, instead of a stack trace.
 */
export function parseCommandArgs<const O extends Options>(command: string, args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`aigate ${command}: ${message}`, `run "aigate ${command} --help" for usage`);
  }
}

/** Reads an option that must be one of a fixed set of values. */
export function oneOf<const T extends string>(command: string, name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`aigate ${command}: --${name} must be one of ${allowed.join(', ')} (got "${value}")`);
}
