/** Commands whose operands are files they print (what agents use to read a file through a shell). */
const READERS = new Set(['cat', 'head', 'tail', 'sed', 'less', 'more', 'nl', 'bat', 'batcat', 'tac', 'awk', 'grep', 'rg', 'egrep', 'fgrep', 'xxd', 'od', 'hexdump', 'strings', 'base64', 'view', 'vim', 'vi', 'nano', 'cut', 'sort', 'uniq', 'wc', 'jq', 'yq', 'diff', 'cp', 'type', 'get-content', 'python', 'python3', 'node']);
/** Wrappers whose argument is another command line. */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash']);
const MAX_COMMAND = 64 * 1024;

/**
 * File operands of the read commands in a shell command line, e.g. `cat .env`, `sed -n '1,20p'
 * config/secrets.yml`, `cd deploy && head -50 keys.pem`, `bash -lc "tail -f x.log"`. Deliberately
 * over-inclusive (every non-option operand of a reader counts, a sed script too): a false candidate
 * only costs a glob test, a missed path leaks a file. What it cannot see is documented in
 * docs/assistants.md (variables, globs expanded by the shell, scripts that open files themselves).
 */
export function shellReadPaths(command: string | readonly string[]): string[] {
  if (Array.isArray(command)) {
    const [first, second, ...rest] = command as readonly string[];
    if (first !== undefined && SHELLS.has(basename(first)) && second !== undefined && /^-\w*c$/.test(second) && rest.length > 0) return shellReadPaths(rest.join(' '));
    return segmentPaths(command.map(String), '');
  }
  if (typeof command !== 'string' || command.length > MAX_COMMAND) return [];
  const paths: string[] = [];
  let cwd = '';
  for (const segment of splitSegments(command)) {
    const words = tokenize(segment);
    if (words[0] === 'cd' && words[1] !== undefined) {
      cwd = words[1].startsWith('/') || words[1].startsWith('~') ? words[1] : join(cwd, words[1]);
      continue;
    }
    if (words[0] !== undefined && SHELLS.has(basename(words[0])) && words.length >= 3 && /^-\w*c$/.test(words[1] ?? '')) {
      paths.push(...shellReadPaths(words.slice(2).join(' ')).map((p) => (p.startsWith('/') ? p : join(cwd, p))));
      continue;
    }
    paths.push(...segmentPaths(words, cwd));
  }
  return [...new Set(paths)];
}

function segmentPaths(words: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  // Input redirection reads a file whatever the command is.
  words.forEach((w, i) => {
    if (w === '<' && words[i + 1]) out.push(join(cwd, words[i + 1]!));
    else if (w.startsWith('<') && w.length > 1 && !w.startsWith('<<')) out.push(join(cwd, w.slice(1)));
  });
  const name = words[0] === undefined ? '' : basename(words[0]).toLowerCase();
  const start = name === 'sudo' || name === 'env' || name === 'command' ? 1 : 0;
  const reader = words[start] === undefined ? '' : basename(words[start]!).toLowerCase();
  if (!READERS.has(reader)) return out;
  for (const word of words.slice(start + 1)) {
    if (word === '' || word.startsWith('-') || word === '<' || word === '>' || word.startsWith('>') || /^\d+$/.test(word)) continue;
    out.push(word.startsWith('/') || word.startsWith('~') ? word : join(cwd, word));
  }
  return out;
}

/** Splits on ;, &&, ||, | and newlines outside quotes. */
function splitSegments(command: string): string[] {
  const segments: string[] = [];
  let current = '';
  let quote: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = null;
      current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === ';' || c === '\n' || c === '|' || (c === '&' && command[i + 1] === '&')) {
      segments.push(current);
      current = '';
      if ((c === '&' || c === '|') && command[i + 1] === c) i++;
    } else {
      current += c;
    }
  }
  segments.push(current);
  return segments.map((s) => s.trim()).filter(Boolean);
}

/** Words with quotes removed (no variable expansion: `$HOME/.env` stays literal and is documented). */
function tokenize(segment: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let started = false;
  for (const c of segment) {
    if (quote) {
      if (c === quote) quote = null;
      else current += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === ' ' || c === '\t') {
      if (started || current) words.push(current);
      current = '';
      started = false;
    } else if (c === '\\') {
      started = true;
    } else {
      current += c;
    }
  }
  if (started || current) words.push(current);
  return words;
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

function join(cwd: string, path: string): string {
  return cwd ? `${cwd.replace(/\/+$/, '')}/${path}` : path;
}
