const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** Sizes above this are certainly a typo; also keeps arithmetic exact. */
const MAX_SIZE = 2 ** 40;

/**
 * Parses a policy size: a non-negative integer of bytes, or a string such as `100kb`, `1.5 MB`,
 * `2MiB` (kb/mb/gb are powers of 1000, kib/mib/gib powers of 1024, case-insensitive).
 * Returns undefined for anything else, so the caller reports it where it was written.
 */
export function parseSize(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 && value <= MAX_SIZE ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  if (!match) return undefined;
  const factor = UNITS[(match[2] ?? '').toLowerCase()];
  if (factor === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) && bytes <= MAX_SIZE ? bytes : undefined;
}

/** Formats bytes for people: 102400 → "100 KiB"; exact values keep their unit. */
export function formatSize(bytes: number): string {
  for (const [unit, factor] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= factor && bytes % (factor / 1024) === 0) return `${+(bytes / factor).toFixed(2)} ${unit}`;
  }
  return `${bytes} B`;
}
