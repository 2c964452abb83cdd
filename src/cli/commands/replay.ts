// `qemu-host replay FILE`: send a transcript's requests to a guest one by one and show
// where the replies differ from the recorded ones. This declares the command; replay-run.ts,
// loaded when it runs, does it.
import type { Command } from 'commander';
import { VOLATILE_PATHS } from '../../verbs/transcript/volatile.js';
import type { GlobalOptions } from '../context.js';

export interface ReplayOptions {
  json?: boolean;
  ignore: string[];
  strict?: boolean;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('send the requests of a transcript (--record FILE) to a guest and show where the replies differ')
    .argument('<file>', 'a transcript written by qemu-host --record')
    .option('--json', 'one JSON object per call, then a summary line')
    .option('--ignore <[command:]path>', 'do not count differences at this reply path, e.g. return.pid or guest-info:return.version (repeatable; * and [*] match any key or index)', collect, [])
    .option('--strict', 'no built-in volatile paths (clocks, counters) and no timing allowance for exec polls: only --ignore')
    .addHelpText('after', `
Exit status: 0 when every reply matches, 1 when any differs, 2 for bad input (nothing sent),
3 when the agent cannot be reached or is lost. Commands that change the guest need --yes
(or a yes at the terminal); --read-only skips them. Requests whose secret was not recorded
(guest-set-user-password) are never sent. Handles from guest-file-open and pids from
guest-exec are mapped to the ones the replay gets.
Built-in volatile paths (ignored, and listed, unless --strict):
  ${VOLATILE_PATHS.join('\n  ')}`)
    .action(async (file: string, opts: ReplayOptions, cmd: Command) => {
      const globals = cmd.parent?.opts<GlobalOptions>() ?? {};
      const { runReplay } = await import('./replay-run.js');
      process.exitCode = await runReplay({ ...globals, json: globals.json === true || opts.json === true }, file, opts);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
