// What `qemu-host get` does (declared in get.ts, loaded when it runs).
import { UsageError } from '../../protocol/errors.js';
import { getFile } from '../../verbs/transfer/get.js';
import { FileSink, StreamSink, type Sink } from '../../verbs/transfer/local-target.js';
import { contextFrom, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { chunkFrom, runTransfer } from './transfer-cli.js';
import { localPathFor, type GetOptions } from './get.js';

export async function runGet(globals: GlobalOptions, guestPath: string, local: string | undefined, opts: GetOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let sink: Sink;
  let chunk: number;
  try {
    chunk = chunkFrom(ctx, opts.chunk, 'read');
    const toStdout = local === '-';
    const destination = toStdout ? '-' : localPathFor(guestPath, local);
    sink = toStdout ? new StreamSink(process.stdout) : await FileSink.create(destination).catch((err: Error) => {
      throw new UsageError(`cannot write ${destination}: ${err.message}`);
    });
  } catch (err) {
    return printError(ctx, err);
  }
  return runTransfer(ctx, {
    file: guestPath,
    chunk,
    verify: opts.verify !== false,
    out: sink instanceof StreamSink ? process.stderr : process.stdout,
    beforeForcedExit: () => sink.discardNow(),
    transfer: (session, options) => getFile(session, guestPath, sink, options),
  });
}
