// `qemu-host put LOCAL GUEST_PATH`: copy a host file (or stdin, with -) into the guest
// (guest-file-write in chunks), with progress and a sha256 check against the guest's copy.
// This declares the command; put-run.ts, loaded when it runs, does it.
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../protocol/errors.js';
import type { GlobalOptions } from '../context.js';

export interface PutOptions {
  chunk?: string;
  verify?: boolean;
}

export function registerPut(program: Command): void {
  program
    .command('put')
    .description('copy a host file (or stdin, with -) into the guest, with progress and a sha256 check')
    .argument('<local>', 'the host file, or - for stdin')
    .argument('<guest-path>', 'where in the guest; ending in / means "into this directory"')
    .option('--chunk <size>', 'bytes per guest-file-write (default 1M; 64K-4M are all fast)')
    .option('--no-verify', 'do not compare sha256 with the guest (which needs guest-exec and sha256sum there)')
    .addHelpText('after', '\nThe guest file is created or replaced. If the copy fails, the guest file is left incomplete\n(the agent cannot rename files) and the error says how much was written.')
    .action(async (local: string, guestPath: string, opts: PutOptions, cmd: Command) => {
      const { runPut } = await import('./put-run.js');
      process.exitCode = await runPut(cmd.parent?.opts<GlobalOptions>() ?? {}, local, guestPath, opts);
    });
}

/** GUEST_PATH ending in a separator names a directory: the host file's name goes inside. */
export function guestPathFor(local: string, guestPath: string): string {
  if (!/[\\/]$/.test(guestPath)) return guestPath;
  if (local === '-') throw new UsageError('with stdin (-), GUEST_PATH must name a file, not a directory');
  return `${guestPath}${path.basename(local)}`;
}
