// `qemu-host exec -- CMD [ARGS...]` and `qemu-host exec --shell 'LINE'`: run a program in
// the guest, wait for it, print its output and exit with its status. This declares the
// command; exec-run.ts does it. Unlike the other subcommands it is imported statically:
// exec is made for scripts that run it over and over, its code is small (~25 KB), and a
// dynamic import alone costs ~2 ms of its start-up (Node's ESM loader), its ~4 ms in all.
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';
import { runExecCommand, type ExecOptions } from './exec-run.js';

export function registerExec(program: Command): void {
  program
    .command('exec')
    .description('run a program in the guest (guest-exec), print its output when it exits, exit with its status')
    .argument('[command...]', 'the program and its arguments (put -- before them when they start with -)')
    .option('--shell <line>', "run a shell line with sh -c (pipes, redirections, $VARS)")
    .option('--env <NAME=VALUE>', 'environment entry (repeatable). It REPLACES the whole environment: add PATH=... if the program needs it', collect, [])
    .option('--input <file>', 'send this file as stdin (- for our stdin)')
    .option('-n, --no-stdin', 'do not pass our stdin (by default it is sent when it is not a terminal)')
    .option('--timeout <duration>', 'stop the guest process after this long (30 = seconds; also 500ms, 2m) and exit 124')
    .passThroughOptions()
    .addHelpText('after', `
The output arrives when the process exits: the agent gives none before. The agent keeps
at most 16 MiB of stdout and of stderr; beyond that the output is cut and a warning says so.
Exit status: the process's own; 128+N when signal N killed it; 124 after --timeout;
130 after Ctrl+C (the guest process is killed); 1-3 for qemu-host's own errors.
Examples:
  qemu-host exec -- uname -a
  qemu-host exec --shell 'dmesg | tail -5'
  echo hello | qemu-host exec -- tr a-z A-Z`)
    .action(async (words: string[], opts: ExecOptions, cmd: Command) => {
      const globals = cmd.parent?.opts<GlobalOptions>() ?? {};
      process.exitCode = await runExecCommand(globals, words, opts);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

