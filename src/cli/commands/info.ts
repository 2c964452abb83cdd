// `qemu-host info [--json]`: one overview of the guest from every read-only command the
// agent will answer, as tables, or one JSON object. This declares the command; info-run.ts,
// loaded when it runs, does it.
import type { Command } from 'commander';
import type { GlobalOptions } from '../context.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('an overview of the guest: OS, host name, clock, users, vCPUs, memory, filesystems, disks, network, agent')
    .option('--json', 'one JSON object instead of tables')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const globals = cmd.parent?.opts<GlobalOptions>() ?? {};
      const { runInfo } = await import('./info-run.js');
      process.exitCode = await runInfo({ ...globals, json: globals.json === true || opts.json === true });
    });
}
