import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../src/cli/main.js';

const declared = (args: string[]): string[] => buildProgram(['node', 'qemu-host', ...args]).commands.map((c) => c.name());
const ALL = declared(['--help']);

describe('declaring only the subcommand a command line names', () => {
  it('declares none for batch mode and the shell, and just the one named otherwise', () => {
    expect(declared([])).toEqual([]);
    expect(declared(['-s', '/tmp/qga.sock', '--json'])).toEqual([]);
    expect(declared(['-s', '/tmp/qga.sock', 'call', 'guest-ping'])).toEqual(['call']);
    expect(declared(['--timeout', '5000', 'exec', '--', 'ls', '-l'])).toEqual(['exec']);
    expect(declared(['lab', '--detach'])).toEqual(['lab']);
  });

  it('skips the values of global options however they are written', () => {
    for (const args of [['-s', 'exec'], ['--socket', 'exec'], ['--socket=exec'], ['-sexec'], ['-ys', 'exec'], ['-y', '-s', 'exec'], ['--profile', 'get']]) {
      expect(declared([...args, 'call', 'guest-ping']), args.join(' ')).toEqual(['call']);
    }
  });

  it('declares them all whenever commander must decide: help, --, or a word that names none', () => {
    expect(ALL.length).toBeGreaterThan(10);
    for (const args of [['help', 'exec'], ['--help'], ['-s', 'x', '-h'], ['frobnicate'], ['--', 'call']]) expect(declared(args), args.join(' ')).toEqual(ALL);
    // A subcommand's own help needs only that subcommand.
    expect(declared(['exec', '--help'])).toEqual(['exec']);
  });

  it('always declares the subcommand commander would run', () => {
    const everything = buildProgram(['node', 'qemu-host', '--help']);
    const lines = [
      [], ['call', 'x'], ['-s', 'call', 'exec'], ['-ys', 'put', 'get', 'a'], ['--json', '--read-only', 'info'], ['--wire', '-s', 's', 'watch', 'x'],
      ['--tcp', 'h:1', 'describe', 'x'], ['--schema=debian', 'commands'], ['-y', 'freeze'], ['--share', 'thaw'], ['--plain'], ['serve', '--listen', 'x'],
    ];
    for (const args of lines) {
      const { operands } = everything.parseOptions(args);
      const runs = everything.commands.find((c) => c.name() === operands[0])?.name();
      if (runs) expect(declared(args), args.join(' ')).toContain(runs);
      else expect(declared(args), args.join(' ')).toEqual(declared(args).filter((name) => name === operands[0]));
    }
  });
});
