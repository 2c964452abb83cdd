// `qemu-host get GUEST_PATH [LOCAL]`: copy a file out of the guest (guest-file-read in
// chunks), with progress, a sha256 check against the guest's copy, and no partial file
// left behind on failure or Ctrl+C. This declares the command; get-run.ts, loaded when it
// runs, does it.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../../protocol/errors.js';
import type { GlobalOptions } from '../context.js';

export interface GetOptions {
  chunk?: string;
  verify?: boolean;
}

export function registerGet(program: Command): void {
  program
    .command('get')
    .description('copy a file from the guest to the host, with progress and a sha256 check')
    .argument('<guest-path>', 'the file in the guest')
    .argument('[local]', 'where to put it: a file, a directory, or - for stdout (default: its name, here)')
    .option('--chunk <size>', 'bytes per guest-file-read (default 1M; 64K-4M are all fast)')
    .option('--no-verify', 'do not compare sha256 with the guest (which needs guest-exec and sha256sum there)')
    .action(async (guestPath: string, local: string | undefined, opts: GetOptions, cmd: Command) => {
      const { runGet } = await import('./get-run.js');
      process.exitCode = await runGet(cmd.parent?.opts<GlobalOptions>() ?? {}, guestPath, local, opts);
    });
}

/** LOCAL as given: a file, a directory (the guest file's name inside it), or - . */
export function localPathFor(guestPath: string, local: string | undefined): string {
  const name = guestPath.split(/[\\/]/).filter(Boolean).pop();
  if (local === undefined || isDirectory(local)) {
    if (!name) throw new UsageError(`cannot name a local file after "${guestPath}"`, { hint: 'Give LOCAL explicitly: qemu-host get GUEST_PATH LOCAL' });
    return path.join(local ?? '.', name);
  }
  return local;
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
