const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `500ms`, `90s`, `30m`, `24h`, `7d`, `2w` (a bare number is seconds) into milliseconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value * 1000 : undefined;
  const match = /^\s*(\d+)\s*(ms|[smhdw]?)\s*$/i.exec(value);
  if (!match) return undefined;
  const ms = Number(match[1]) * (UNIT_MS[(match[2] || 's').toLowerCase()] ?? NaN);
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}
