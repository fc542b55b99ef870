export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface ServiceLog {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * JSON lines on stderr (or `write`). Callers pass ids, paths, codes and counts; tokens, keys and
 * webhook bodies never reach it (a test greps the output for the secrets it configured).
 */
export function serviceLog(write: (line: string) => void = (line) => process.stderr.write(line)): ServiceLog {
  const emit = (level: string) => (msg: string, fields: LogFields = {}) => write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
