import type { FaultMatch, FaultSpec, RecordedRequest } from './types.ts';

/** Runtime switches; a request takes the first matching fault and uses up one of its `times`. */
export interface FaultControl {
  /** Appends a fault (default `times: 1`). */
  add(spec: FaultSpec): void;
  /** Replaces every fault. */
  set(specs: readonly FaultSpec[]): void;
  clear(): void;
  /** Active faults with their remaining counts, oldest first. */
  readonly active: readonly { readonly spec: FaultSpec; readonly left: number }[];
}

export interface Faults {
  readonly control: FaultControl;
  take(request: RecordedRequest): FaultSpec | undefined;
}

function matches(match: FaultMatch | undefined, request: RecordedRequest): boolean {
  if (!match) return true;
  if (match.flavour !== undefined && match.flavour !== request.flavour) return false;
  if (match.route !== undefined && match.route !== request.route) return false;
  if (match.keyIndex !== undefined && match.keyIndex !== request.keyIndex) return false;
  if (match.stream !== undefined && match.stream !== request.stream) return false;
  if (typeof match.path === 'string') return match.path === request.path;
  if (match.path) {
    match.path.lastIndex = 0;
    return match.path.test(request.path);
  }
  return true;
}

export function createFaults(initial: readonly FaultSpec[] = []): Faults {
  let entries: { spec: FaultSpec; left: number }[] = [];
  const entry = (spec: FaultSpec) => ({ spec: { ...spec }, left: spec.times ?? 1 });
  entries = initial.map(entry);
  return {
    control: {
      add(spec) {
        entries.push(entry(spec));
      },
      set(specs) {
        entries = specs.map(entry);
      },
      clear() {
        entries = [];
      },
      get active() {
        return entries.map((e) => ({ spec: e.spec, left: e.left }));
      },
    },
    take(request) {
      const found = entries.find((e) => e.left > 0 && matches(e.spec.match, request));
      if (!found) return undefined;
      found.left -= 1;
      if (found.left <= 0) entries = entries.filter((e) => e !== found);
      return found.spec;
    },
  };
}
