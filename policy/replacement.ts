/** A parsed replacement template: literal text and capture-group references. */
export type TemplatePart = { readonly text: string } | { readonly group: number } | { readonly name: string };

export interface ReplacementTemplate {
  readonly parts: readonly TemplatePart[];
}

/**
 * Parses `$1`, `${1}`, `${name}`, `$<name>` and `$$` (a literal dollar). Anything else after `$` is
 * literal. Parsed once at compile time so each match only concatenates.
 */
export function parseReplacement(template: string): ReplacementTemplate {
  const parts: TemplatePart[] = [];
  let literal = '';
  const flush = () => {
    if (literal) parts.push({ text: literal });
    literal = '';
  };
  const re = /\$(?:\$|(\d{1,2})|\{(\w+)\}|<(\w+)>)/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    literal += template.slice(last, m.index);
    last = m.index + m[0].length;
    if (m[0] === '$$') {
      literal += '$';
      continue;
    }
    flush();
    const ref = m[1] ?? m[2] ?? m[3] ?? '';
    parts.push(/^\d+$/.test(ref) ? { group: Number(ref) } : { name: ref });
  }
  literal += template.slice(last);
  flush();
  return { parts };
}

/** References a template makes that the pattern does not define; empty when all resolve. */
export function unresolvedReferences(template: ReplacementTemplate, groups: { readonly count: number; readonly names: readonly string[] }): string[] {
  const bad: string[] = [];
  for (const part of template.parts) {
    if ('group' in part && part.group > groups.count) bad.push(`$${part.group}`);
    if ('name' in part && !groups.names.includes(part.name)) bad.push(`\${${part.name}}`);
  }
  return bad;
}

/** Expands a template for one match (unset groups expand to nothing). */
export function expandReplacement(
  template: ReplacementTemplate,
  groups: readonly (string | undefined)[],
  named: Readonly<Record<string, string | undefined>> | undefined,
): string {
  let out = '';
  for (const part of template.parts) {
    if ('text' in part) out += part.text;
    else if ('group' in part) out += groups[part.group] ?? '';
    else out += named?.[part.name] ?? '';
  }
  return out;
}
