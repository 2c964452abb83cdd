// `qemu-host put LOCAL GUEST_PATH`: copy a host file (or stdin, with -) into the guest
// (guest-file-write in chunks), with progress and a sha256 check against the guest's copy.
import path from 'node:path';
import type { Command } from 'commander';
import { CancelledError, UsageError } from '../../protocol/errors.js';
import { checkChunk } from '../../verbs/transfer/chunk-size.js';
import { chunkLimitFor, defaultChunkFor } from './transfer-cli.js';
import { fileSource, putFile, streamSource, type Source } from '../../verbs/transfer/put.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { progressDisplay, reportTransfer } from './transfer-cli.js';
import { EXIT_INTERRUPTED, StatusLine, interruptOnSigint, parseSize } from './verb-cli.js';

interface PutOptions {
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
      process.exitCode = await runPut(cmd.parent?.opts<GlobalOptions>() ?? {}, local, guestPath, opts);
    });
}

/** GUEST_PATH ending in a separator names a directory: the host file's name goes inside. */
export function guestPathFor(local: string, guestPath: string): string {
  if (!/[\\/]$/.test(guestPath)) return guestPath;
  if (local === '-') throw new UsageError('with stdin (-), GUEST_PATH must name a file, not a directory');
  return `${guestPath}${path.basename(local)}`;
}

export async function runPut(globals: GlobalOptions, local: string, guestPathArg: string, opts: PutOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let source: Source;
  let chunk: number;
  let guestPath: string;
  try {
    chunk = checkChunk(
      opts.chunk === undefined ? defaultChunkFor(requireEndpoint(globals), 'write') : parseSize(opts.chunk, '--chunk'),
      chunkLimitFor(requireEndpoint(globals), 'write'),
    );
    guestPath = guestPathFor(local, guestPathArg);
    source = local === '-' ? streamSource(process.stdin) : await fileSource(local).catch((err: Error) => {
      throw new UsageError(`cannot read ${local}: ${err.message}`);
    });
  } catch (err) {
    return printError(ctx, err);
  }
  const status = new StatusLine(process.stderr, true);
  const interrupt = interruptOnSigint();
  const session = openSession(requireEndpoint(globals));
  try {
    const result = await putFile(session, source, guestPath, {
      chunk,
      verify: opts.verify !== false,
      signal: interrupt.signal,
      callTimeoutMs: ctx.timeoutMs,
      ...progressDisplay(path.basename(local), status),
    });
    status.clear();
    return reportTransfer(result, ctx.json, process.stdout, process.stderr);
  } catch (err) {
    status.clear();
    const code = printError(ctx, err);
    return err instanceof CancelledError && interrupt.signal.aborted ? EXIT_INTERRUPTED : code;
  } finally {
    interrupt.dispose();
    session.close();
  }
}
