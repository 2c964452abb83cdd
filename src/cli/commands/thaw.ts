// `qemu-host thaw`: thaw the guest's filesystems after `freeze`. This declares the command;
// thaw-run.ts, loaded when it runs, does it.
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';

export function registerThaw(program: Command): void {
  program
    .command('thaw')
    .description("thaw the guest's frozen filesystems (guest-fsfreeze-thaw)")
    .action(async (_opts: unknown, cmd: Command) => {
      const { runThaw } = await import('./thaw-run.js');
      process.exitCode = await runThaw(cmd.parent?.opts<GlobalOptions>() ?? {});
    });
}
