// `qemu-host get GUEST_PATH [LOCAL]`: copy a file out of the guest (guest-file-read in
// chunks), with progress, a sha256 check against the guest's copy, and no partial file
// left behind on failure or Ctrl+C.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CancelledError, UsageError } from '../../protocol/errors.js';
import { getFile } from '../../verbs/transfer/get.js';
import { FileSink, StreamSink, type Sink } from '../../verbs/transfer/local-target.js';
import { checkChunk } from '../../verbs/transfer/chunk-size.js';
import { chunkLimitFor, defaultChunkFor } from './transfer-cli.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { progressDisplay, reportTransfer } from './transfer-cli.js';
import { EXIT_INTERRUPTED, StatusLine, interruptOnSigint, parseSize } from './verb-cli.js';

interface GetOptions {
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

export async function runGet(globals: GlobalOptions, guestPath: string, local: string | undefined, opts: GetOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let sink: Sink;
  let chunk: number;
  try {
    chunk = checkChunk(
      opts.chunk === undefined ? defaultChunkFor(requireEndpoint(globals), 'read') : parseSize(opts.chunk, '--chunk'),
      chunkLimitFor(requireEndpoint(globals), 'read'),
    );
    const toStdout = local === '-';
    const destination = toStdout ? '-' : localPathFor(guestPath, local);
    sink = toStdout ? new StreamSink(process.stdout) : await FileSink.create(destination).catch((err: Error) => {
      throw new UsageError(`cannot write ${destination}: ${err.message}`);
    });
  } catch (err) {
    return printError(ctx, err);
  }
  const toStdout = sink instanceof StreamSink;
  const status = new StatusLine(process.stderr, true);
  const interrupt = interruptOnSigint('interrupted', () => sink.discardNow());
  const session = openSession(requireEndpoint(globals));
  try {
    const result = await getFile(session, guestPath, sink, {
      chunk,
      verify: opts.verify !== false,
      signal: interrupt.signal,
      callTimeoutMs: ctx.timeoutMs,
      ...progressDisplay(path.basename(guestPath), status),
    });
    status.clear();
    return reportTransfer(result, ctx.json, toStdout ? process.stderr : process.stdout, process.stderr);
  } catch (err) {
    status.clear();
    const code = printError(ctx, err);
    return err instanceof CancelledError && interrupt.signal.aborted ? EXIT_INTERRUPTED : code;
  } finally {
    interrupt.dispose();
    session.close();
  }
}
