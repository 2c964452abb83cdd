// `qemu-host lab`: boots a tiny real guest with qemu-guest-agent (built once from Debian
// packages, cached) and opens the shell on it; the VM stops when the shell exits.
// `--detach` leaves it running and prints where it is as one JSON line; `--stop` stops it.
// This declares the command; lab-run.ts, loaded when it runs, does it.
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';

export interface LabCommandOptions {
  detach?: boolean;
  stop?: boolean;
  transport: string;
  accel: string;
  rebuild?: boolean;
}

/** Runs the interactive shell (or batch mode, without a terminal) on the given options. */
export type RunShell = (options: GlobalOptions) => Promise<number>;

export function registerLab(program: Command, runShell: RunShell): void {
  program
    .command('lab')
    .description('boot a tiny real VM running qemu-guest-agent and open the shell on it')
    .option('--detach', 'leave the VM running; print {"socket", "qmp", "pid"} as one JSON line')
    .option('--stop', 'stop the VM that --detach started and remove its files')
    .option('--transport <kind>', 'virtio (virtio-serial) or isa (isa-serial, the agent on ttyS1)', 'virtio')
    .option('--accel <kind>', 'auto (try KVM once, remember, fall back to TCG), kvm or tcg', 'auto')
    .option('--rebuild', 'build the guest image again even if a cached one fits')
    .action(async (opts: LabCommandOptions, cmd: Command) => {
      const { runLab } = await import('./lab-run.js');
      process.exitCode = await runLab(cmd.optsWithGlobals<GlobalOptions>(), opts, runShell);
    });
}
