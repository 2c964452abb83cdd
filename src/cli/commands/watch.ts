// `qemu-host watch COMMAND [ARGS...] [--every S]`: repeat a read-only command; for CPU,
// disk, load, filesystem and network figures, show series with sparklines. This declares
// the command; watch-run.ts, loaded when it runs, does it.
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';

export interface WatchOptions {
  every?: string;
  count?: string;
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('repeat a read-only command; CPU, disk, load, filesystem and network figures as live series')
    .argument('<command>', 'a read-only command, e.g. guest-get-cpustats')
    .argument('[args...]', 'its arguments, as for call')
    .option('--every <duration>', 'time between calls (2 = seconds; also 500ms, 1m)', '2')
    .option('--count <n>', 'stop after this many calls')
    .addHelpText('after', `
Series: guest-get-cpustats (busy % per CPU), guest-get-diskstats (read/write bytes and
I/O per second), guest-get-load, guest-get-fsinfo (used %), guest-network-get-interfaces
(rx/tx bytes per second). Other read-only commands are shown as they come. Ctrl+C stops.`)
    .action(async (command: string, words: string[], opts: WatchOptions, cmd: Command) => {
      const { runWatch } = await import('./watch-run.js');
      process.exitCode = await runWatch(cmd.parent?.opts<GlobalOptions>() ?? {}, command, words, opts);
    });
}
