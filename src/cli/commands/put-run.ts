// What `qemu-host put` does (declared in put.ts, loaded when it runs).
import path from 'node:path';
import { CancelledError, UsageError } from '../../protocol/errors.js';
import { checkChunk } from '../../verbs/transfer/chunk-size.js';
import { chunkLimitFor, defaultChunkFor } from './transfer-cli.js';
import { fileSource, putFile, streamSource, type Source } from '../../verbs/transfer/put.js';
import { contextFrom, openSession, requireEndpoint, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { progressDisplay, reportTransfer } from './transfer-cli.js';
import { EXIT_INTERRUPTED, StatusLine, interruptOnSigint, parseSize } from './verb-cli.js';
import { guestPathFor, type PutOptions } from './put.js';

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
