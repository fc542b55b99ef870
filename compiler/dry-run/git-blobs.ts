import { spawn } from 'node:child_process';

/**
 * Streams blobs from one `git cat-file --batch` process, in the order asked, calling `onBlob` for
 * each before the next is read (so memory holds one blob, not the tree). A blob is assembled into
 * one buffer of its announced size, without repeated concatenation.
 */
export async function forEachBlob(root: string, shas: readonly string[], onBlob: (index: number, bytes: Buffer) => void): Promise<void> {
  if (shas.length === 0) return;
  const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } });
  const exited = new Promise<number>((resolveExit, rejectExit) => {
    child.on('error', rejectExit);
    child.on('close', (code) => resolveExit(code ?? -1));
  });
  child.stdin.on('error', () => {});
  child.stdin.end(`${shas.join('\n')}\n`);
  child.stderr.resume();

  let index = 0;
  let header: Buffer[] = [];
  let blob: Buffer | undefined;
  let filled = 0;
  // After a blob's bytes git writes one newline; skip it before the next header.
  let skipNewline = false;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    let at = 0;
    while (at < chunk.length) {
      if (skipNewline) {
        at++;
        skipNewline = false;
        continue;
      }
      if (!blob) {
        const nl = chunk.indexOf(10, at);
        if (nl < 0) {
          header.push(chunk.subarray(at));
          break;
        }
        header.push(chunk.subarray(at, nl));
        at = nl + 1;
        const line = Buffer.concat(header).toString('utf8');
        header = [];
        const size = Number(line.split(' ')[2]);
        if (line.endsWith(' missing') || !Number.isSafeInteger(size)) {
          index++;
          continue;
        }
        blob = Buffer.allocUnsafe(size);
        filled = 0;
      }
      const take = Math.min(blob.length - filled, chunk.length - at);
      chunk.copy(blob, filled, at, at + take);
      filled += take;
      at += take;
      if (filled === blob.length) {
        onBlob(index++, blob);
        blob = undefined;
        skipNewline = true;
      }
    }
  }
  const code = await exited;
  if (code !== 0) throw new Error(`git cat-file --batch exited with code ${code}`);
}
