import { describe, expect, it } from 'vitest';
import type { CommandEntry } from './command.ts';
import { EXIT } from './exit-codes.ts';
import { ExitError, UsageError } from './exit-error.ts';
import { bufferIo } from './io.ts';
import { runCli } from './main.ts';

const commands = (run: () => Promise<never> | Promise<0>): Record<string, CommandEntry> => ({
  boom: { summary: 'test command', load: async () => run },
});

describe('runCli', () => {
  it('prints usage and exits 2 without a command', async () => {
    const io = bufferIo();
    expect(await runCli([], io)).toBe(EXIT.usage);
    expect(io.out()).toMatch(/usage: aigate <command>/);
  });

  it('exits 0 for --help and lists the commands', async () => {
    const io = bufferIo();
    expect(await runCli(['--help'], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/validate/);
  });

  it('names an unknown command and exits 2', async () => {
    const io = bufferIo();
    expect(await runCli(['frobnicate'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/unknown command "frobnicate"/);
  });

  it('does not treat inherited object keys as commands', async () => {
    expect(await runCli(['constructor'], bufferIo())).toBe(EXIT.usage);
  });

  it('passes an ExitError code through', async () => {
    const io = bufferIo();
    expect(await runCli(['boom'], io, commands(async () => { throw new ExitError(EXIT.failed, 'denied'); }))).toBe(EXIT.failed);
    expect(io.err()).toBe('denied\n');
  });

  it('prints a usage error with its hint and exits 2', async () => {
    const io = bufferIo();
    expect(await runCli(['boom'], io, commands(async () => { throw new UsageError('bad flag', 'try --help'); }))).toBe(EXIT.usage);
    expect(io.err()).toBe('bad flag\nhint: try --help\n');
  });

  it('reports an unexpected exception as an internal error (70) without echoing the arguments', async () => {
    const io = bufferIo();
    const code = await runCli(['boom', '--token', 'glpat-SECRETSECRETSECRET1'], io, commands(async () => { throw new TypeError('x is undefined'); }));
    expect(code).toBe(EXIT.internal);
    expect(io.err()).toMatch(/internal error/);
    expect(io.err()).toMatch(/TypeError: x is undefined/);
    expect(io.err()).not.toMatch(/glpat-SECRET/);
  });
});
