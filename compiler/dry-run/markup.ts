/** Characters XML 1.0 forbids (controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/** Text for an XML attribute or element: escaped, and characters XML cannot carry replaced. */
export function xml(text: string): string {
  return text.replace(XML_INVALID, '\ufffd').replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`).replaceAll('\n', '&#10;');
}

/** Inline code in Markdown that survives backticks and pipes in the text (file names can hold both). */
export function mdCode(text: string): string {
  const clean = text.replace(/[\u0000-\u001f]/g, '\ufffd').replaceAll('|', '\\|');
  const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** Plain Markdown text: no HTML, no table breaks, one line. */
export function mdText(text: string): string {
  return text.replace(/[\u0000-\u001f]/g, ' ').replace(/[<>&|*_`[\]\\]/g, (c) => `\\${c}`);
}

/** Terminal text: control characters (escape sequences in file names) become U+FFFD. */
export function plain(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
