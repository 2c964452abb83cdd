// What `qemu-host get` does (declared in get.ts, loaded when it runs).
import path from 'node:path';
import { CancelledError, UsageError } from '../../protocol/errors.js';
import { getFile } from '../../verbs/transfer/get.js';
import { FileSink, StreamSink, type Sink } from '../../verbs/transfer/local-target.js';
import { checkChunk } from '../../verbs/transfer/chunk-size.js';
import { chunkLimitFor, defaultChunkFor } from './transfer-cli.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { progressDisplay, reportTransfer } from './transfer-cli.js';
import { EXIT_INTERRUPTED, StatusLine, interruptOnSigint, parseSize } from './verb-cli.js';
import { localPathFor, type GetOptions } from './get.js';

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
