import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { median, percentile, timeProcess } from './measure.ts';

/**
 * Cold start of `aigate validate examples/*` against bare `node -e 0`, started the same way and
 * interleaved in the same run, so machine noise hits both. CI jobs start aigate cold, so this is
 * the number that matters. Aim: under 150 ms over bare Node.
 */
const root = join(import.meta.dirname, '..');
const runs = Number(process.env['RUNS'] ?? 30);
const examples = readdirSync(join(root, 'examples'))
  .filter((f) => !f.startsWith('.'))
  .map((f) => join('examples', f));
const node = process.execPath;

// Warm the OS file cache and V8's compile cache once, as a CI runner's second job would see them.
timeProcess(node, ['bin/aigate.ts', 'validate', ...examples], root);

const bare: number[] = [];
const validate: number[] = [];
for (let i = 0; i < runs; i++) {
  bare.push(timeProcess(node, ['-e', '0'], root));
  validate.push(timeProcess(node, ['bin/aigate.ts', 'validate', ...examples], root));
}
const b = median(bare);
const v = median(validate);
console.log(`aigate validate ${examples.join(' ')}: ${runs} runs each, interleaved`);
console.log(`bare node -e 0        median ${b.toFixed(1)} ms  p90 ${percentile(bare, 90).toFixed(1)} ms`);
console.log(`aigate validate       median ${v.toFixed(1)} ms  p90 ${percentile(validate, 90).toFixed(1)} ms`);
console.log(`difference            ${(v - b).toFixed(1)} ms (aim < 150 ms)`);
console.log(`ratio                 ${(v / b).toFixed(2)}x bare node`);
