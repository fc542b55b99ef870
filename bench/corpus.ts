/** Deterministic pseudo-random numbers (mulberry32), so every run measures the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['const', 'let', 'return', 'function', 'import', 'from', 'export', 'if', 'else', 'for', 'await', 'async', 'user', 'repo', 'config', 'value', 'result', 'request', 'response', 'error', 'handler', 'port', 'host', 'name', 'id', 'list', 'map', 'filter', 'def', 'self', 'class', 'struct', 'func', 'package', 'yaml', 'key', 'data'];
const LINES = [
  (w: () => string) => `  const ${w()} = await ${w()}.${w()}(${w()}, ${w()});`,
  (w: () => string) => `def ${w()}(self, ${w()}):\n    return self.${w()}[${w()}]`,
  (w: () => string) => `${w()}:\n  ${w()}: ${w()}-${w()}\n  ${w()}: 8080`,
  (w: () => string) => `func ${w()}(${w()} string) error { return nil }`,
  (w: () => string) => `// ${w()} ${w()} ${w()} ${w()} ${w()} ${w()}`,
  (w: () => string) => `{"${w()}": "${w()}", "${w()}": [1, 2, 3]}`,
  (w: () => string) => `  log.info("${w()} ${w()} ✓ 🚀 ${w()}")`,
];

/**
 * A code-like corpus split into files of about `fileBytes`, with `secrets` (strings known to be
 * redacted) planted at random lines. Returns the files and how many secrets were planted.
 */
export function codeCorpus(totalBytes: number, fileBytes: number, secrets: readonly string[], plantEvery: number, seed = 42): { files: string[]; planted: number } {
  const random = prng(seed);
  const word = () => WORDS[Math.floor(random() * WORDS.length)] ?? 'x';
  const files: string[] = [];
  let size = 0;
  let planted = 0;
  let line = 0;
  while (size < totalBytes) {
    const parts: string[] = [];
    let bytes = 0;
    while (bytes < fileBytes) {
      line++;
      const text = line % plantEvery === 0 && secrets.length > 0 ? `  token = "${secrets[planted++ % secrets.length]}"` : (LINES[Math.floor(random() * LINES.length)] ?? LINES[0]!)(word);
      parts.push(text);
      bytes += Buffer.byteLength(text) + 1;
    }
    const file = parts.join('\n');
    files.push(file);
    size += Buffer.byteLength(file);
  }
  return { files, planted };
}
