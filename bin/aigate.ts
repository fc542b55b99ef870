#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// CI starts aigate cold for every job; V8's on-disk code cache roughly halves start-up after the first run.
enableCompileCache?.();

const { runCli } = await import('../cli/main.ts');
const { processIo } = await import('../cli/io.ts');

// The process's only exit point: set the code and let pending output drain.
process.exitCode = await runCli(process.argv.slice(2), processIo());
