import type { ActiveBundle } from '../../policy/active-bundle.ts';
import { decide, type DecisionRequest } from '../../policy/decide.ts';
import type { ToolExchange } from './tool-calls.ts';

const MAX_SEGMENTS = 64;

/**
 * Repository-relative spellings a tool's path may stand for. Agents send absolute paths
 * (`/home/me/work/app/.env`) or paths relative to their working directory; aigate does not know
 * where the checkout is, so every suffix is tried (`home/me/work/app/.env` … `app/.env`, `.env`).
 * Over-matching withholds a harmless file at worst; under-matching would leak an excluded one.
 */
export function pathCandidates(raw: string): string[] {
  let path = raw.replaceAll('\\', '/').replace(/^[A-Za-z]:\//, '/');
  if (path.startsWith('~')) path = path.replace(/^~[^/]*/, '');
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const kept = segments.slice(-MAX_SEGMENTS);
  return kept.map((_, i) => kept.slice(i).join('/'));
}

export interface Withheld {
  readonly path: string;
  readonly notice: string;
}

/**
 * Replaces the result of every tool call that read an excluded file with a short notice naming the
 * path and the rule, so an agent that reads `.env` through its Read or shell tool cannot forward
 * the contents on its next turn. Returns the withheld paths for the audit record.
 */
export function withholdExcluded(exchange: ToolExchange, bundle: ActiveBundle | undefined, request: Omit<DecisionRequest, 'file'>): Withheld[] {
  if (exchange.results.length === 0 || exchange.calls.size === 0) return [];
  const verdicts = new Map<string, Withheld | null>();
  const verdict = (callId: string): Withheld | null => {
    const cached = verdicts.get(callId);
    if (cached !== undefined) return cached;
    let found: Withheld | null = null;
    for (const raw of exchange.calls.get(callId) ?? []) {
      for (const candidate of pathCandidates(raw)) {
        const decision = decide(bundle, { ...request, file: candidate });
        if (!decision.allow && (decision.reason === 'file_excluded' || decision.reason === 'path_invalid')) {
          found = { path: candidate, notice: `[aigate: the contents of ${candidate} were withheld. ${decision.message.replace(/^aigate: /, '')}]` };
          break;
        }
      }
      if (found) break;
    }
    verdicts.set(callId, found);
    return found;
  };
  const withheld: Withheld[] = [];
  for (const slot of exchange.results) {
    const hit = verdict(slot.callId);
    if (!hit) continue;
    slot.replace(hit.notice);
    if (!withheld.some((w) => w.path === hit.path)) withheld.push(hit);
  }
  return withheld;
}
