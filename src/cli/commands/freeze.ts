// `qemu-host freeze [MOUNTPOINT...]`: freeze the guest's filesystems (for a consistent
// snapshot), with confirmation, a FROZEN banner and a timer; `--status` only reports.
// At a terminal it holds the freeze until Enter or Ctrl+C, then thaws; --leave-frozen
// (or --yes from a script) leaves it frozen for `qemu-host thaw` later. This declares the
// command; freeze-run.ts, loaded when it runs, does it.
import type { Command } from 'commander';
import { FROZEN_REMINDER } from '../../verbs/freeze/freeze.js';
import type { GlobalOptions } from '../context.js';

export interface FreezeOptions {
  yes?: boolean;
  status?: boolean;
  leaveFrozen?: boolean;
  for?: string;
}

export function registerFreeze(program: Command): void {
  program
    .command('freeze')
    .description("freeze the guest's filesystems (all, or the mountpoints given) for a consistent snapshot")
    .argument('[mountpoints...]', 'freeze only these (guest-fsfreeze-freeze-list)')
    .option('-y, --yes', 'do not ask for confirmation (needed from scripts)')
    .option('--status', 'only say whether the guest is frozen or thawed')
    .option('--leave-frozen', 'exit at once and leave it frozen (thaw later with qemu-host thaw)')
    .option('--for <duration>', 'hold the freeze this long (30 = seconds), then thaw')
    .addHelpText('after', `
At a terminal, freeze holds the guest frozen and shows a timer until you press Enter or
Ctrl+C, then thaws. From a script (with --yes) it freezes and exits, unless --for is given.
${FROZEN_REMINDER}`)
    .action(async (mountpoints: string[], opts: FreezeOptions, cmd: Command) => {
      const { runFreeze } = await import('./freeze-run.js');
      process.exitCode = await runFreeze(cmd.parent?.opts<GlobalOptions>() ?? {}, mountpoints, opts);
    });
}
