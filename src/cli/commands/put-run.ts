// What `qemu-host put` does (declared in put.ts, loaded when it runs).
import { UsageError } from '../../protocol/errors.js';
import { fileSource, putFile, streamSource, type Source } from '../../verbs/transfer/put.js';
import { contextFrom, type GlobalOptions } from '../context.js';
import { printError } from '../output.js';
import { chunkFrom, runTransfer } from './transfer-cli.js';
import { guestPathFor, type PutOptions } from './put.js';

export async function runPut(globals: GlobalOptions, local: string, guestPathArg: string, opts: PutOptions): Promise<number> {
  const ctx = contextFrom(globals);
  let source: Source;
  let chunk: number;
  let guestPath: string;
  try {
    chunk = chunkFrom(ctx, opts.chunk, 'write');
    guestPath = guestPathFor(local, guestPathArg);
    source = local === '-' ? streamSource(process.stdin) : await fileSource(local).catch((err: Error) => {
      throw new UsageError(`cannot read ${local}: ${err.message}`);
    });
  } catch (err) {
    return printError(ctx, err);
  }
  return runTransfer(ctx, {
    file: local,
    chunk,
    verify: opts.verify !== false,
    out: process.stdout,
    transfer: (session, options) => putFile(session, source, guestPath, options),
  });
}
