export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * JSON-lines logger. Callers pass ids, codes and counts; nothing in the proxy passes a token,
 * a key or request content here (a test greps all log output for the secrets it used).
 */
export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line), level: 'info' | 'warn' | 'error' = 'info'): Logger {
  const order = { info: 0, warn: 1, error: 2 };
  const emit = (lvl: keyof typeof order) => (msg: string, fields: LogFields = {}) => {
    if (order[lvl] < order[level]) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
