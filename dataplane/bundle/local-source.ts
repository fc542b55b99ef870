import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BundlePayloadV1 } from '../../policy/bundle-types.ts';
import type { BundleStore } from './bundle-store.ts';
import type { BundleSource } from './file-source.ts';

/** Compiles an org policy and a folder of `.aiconfig` files; the CLI provides it from compiler/. */
export type LocalCompiler = (orgPolicy: string, aiconfigs: string | undefined) => Promise<{ ok: true; payload: BundlePayloadV1 } | { ok: false; message: string }>;

/** Recompile at least this often, so a long-running local proxy never reaches the bundle's expiry. */
const REISSUE_MS = 12 * 3_600_000;

/**
 * Single-machine mode: the policy is compiled in-process from files, without a signature, and
 * recompiled when any of them changes. /health labels it as local (unsigned) trust.
 */
export function localBundleSource(orgPolicy: string, aiconfigs: string | undefined, compile: LocalCompiler, store: BundleStore, pollMs: number): BundleSource {
  let timer: NodeJS.Timeout | undefined;
  let lastFingerprint = '';
  let lastCompile = 0;

  const fingerprint = async (): Promise<string> => {
    const parts: string[] = [];
    const add = async (path: string) => {
      const info = await stat(path).catch(() => undefined);
      parts.push(`${path}:${info ? `${info.size}:${info.mtimeMs}` : 'missing'}`);
      if (info?.isDirectory()) {
        for (const entry of (await readdir(path)).sort()) if (entry !== '.git' && entry !== 'node_modules') await add(join(path, entry));
      }
    };
    await add(orgPolicy);
    if (aiconfigs) await add(aiconfigs);
    return parts.join('\n');
  };

  const refresh = async () => {
    const current = await fingerprint();
    if (current === lastFingerprint && Date.now() - lastCompile < REISSUE_MS) return;
    lastFingerprint = current;
    lastCompile = Date.now();
    const result = await compile(orgPolicy, aiconfigs);
    if (result.ok) await store.offerLocal(result.payload, `local:${orgPolicy}`);
    else store.reportError('bundle_invalid', result.message);
  };

  return {
    async start() {
      await refresh();
      timer = setInterval(() => void refresh().catch(() => undefined), pollMs);
      timer.unref();
    },
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
