import type { BundlePayloadV1, ExcludeRuleV1, ProjectEntryV1, RedactionRuleV1 } from './bundle-types.ts';
import { compileFileGlobs, compileProjectGlob, compileProjectGlobs, type FileGlobMatcher, type ProjectGlobMatcher } from './glob-match.ts';
import { compileRedactor, type Redactor } from './redact.ts';

/** A rule set ready to run: its exclusions as one matcher and its rules as one redactor. */
export interface CompiledRuleSet {
  readonly id: string;
  readonly exclude: readonly ExcludeRuleV1[];
  readonly exclusions: FileGlobMatcher;
  readonly rules: readonly RedactionRuleV1[];
  readonly redactor: Redactor;
}

/** A verified bundle with everything `decide()` needs compiled. Immutable once built. */
export interface ActiveBundle {
  readonly payload: BundlePayloadV1;
  readonly serial: number;
  readonly expiresAt: number;
  readonly blocked: ProjectGlobMatcher;
  /** One predicate per `org.groups` entry, over live project paths. */
  readonly groupMatchers: readonly ((projectPath: string) => boolean)[];
  readonly project: (id: string | number | undefined, path: string | undefined) => { readonly id: string; readonly entry: ProjectEntryV1 } | undefined;
  /** Compiled on first use and kept; throws if the rule set is missing or unsafe (fail closed). */
  readonly ruleSet: (id: string) => CompiledRuleSet;
}

/**
 * Builds the runtime form of a verified payload. Org-level matchers and the default rule set compile
 * eagerly, so a bundle that cannot run is refused at activation; per-project rule sets compile on
 * first use, so a 10,000-project bundle activates in milliseconds and shared sets compile once.
 */
export function activateBundle(payload: BundlePayloadV1, options: { lookup?: 'id' | 'path' } = {}): ActiveBundle {
  const byId = options.lookup !== 'path';
  const byPath = new Map<string, string>();
  for (const [id, entry] of Object.entries(payload.projects)) byPath.set(entry.path.toLowerCase(), id);
  const compiled = new Map<string, CompiledRuleSet>();

  const ruleSet = (id: string): CompiledRuleSet => {
    const cached = compiled.get(id);
    if (cached) return cached;
    const set = Object.hasOwn(payload.rule_sets, id) ? payload.rule_sets[id] : undefined;
    if (!set) throw new Error(`bundle has no rule set ${id}`);
    const rules = set.redaction.map((key) => {
      const rule = Object.hasOwn(payload.redaction_rules, key) ? payload.redaction_rules[key] : undefined;
      if (!rule) throw new Error(`bundle rule set ${id} refers to a missing rule ${key}`);
      return rule;
    });
    const result: CompiledRuleSet = {
      id,
      exclude: set.exclude,
      exclusions: compileFileGlobs(set.exclude.map((e) => e.glob)),
      rules,
      redactor: compileRedactor(rules),
    };
    compiled.set(id, result);
    return result;
  };

  const expiresAt = Date.parse(payload.expires_at);
  if (Number.isNaN(expiresAt)) throw new Error('bundle expires_at is not a date');
  const active: ActiveBundle = {
    payload,
    serial: payload.serial,
    expiresAt,
    blocked: compileProjectGlobs(payload.org.blocked_repos.map((b) => b.glob)),
    groupMatchers: payload.org.groups.map((g) => compileProjectGlob(g.namespace)),
    project: (id, path) => {
      // With an id, only the id counts: a project recreated at an old path is another project and
      // must not inherit the old one's policy. The path is for callers that have no id (dry-run).
      // A locally compiled bundle (single-machine mode) knows paths, not GitLab ids.
      const key = byId && id !== undefined ? String(id) : path !== undefined ? byPath.get(path.toLowerCase()) : undefined;
      const entry = key !== undefined && Object.hasOwn(payload.projects, key) ? payload.projects[key] : undefined;
      return key !== undefined && entry ? { id: key, entry } : undefined;
    },
    ruleSet,
  };
  ruleSet(payload.org.default_rule_set);
  return active;
}
