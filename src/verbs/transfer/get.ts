// `get`: copy a guest file to the host, in chunks, with the memory bounded by the chunk
// size whatever the file's size. One read is kept in flight while the previous chunk is
// hashed and written, so the agent never waits on the disk. The guest handle is closed
// whatever happens; the destination appears only when the copy is whole and its checksum
// matched (or could not be checked, which the result says).
import { createHash } from 'node:crypto';
import { CancelledError } from '../../protocol/errors.js';
import { throwIfAborted, type VerbSession } from '../verb-session.js';
import { DEFAULT_CHUNK, checkChunk } from './chunk-size.js';
import { withCloseNote } from './close-note.js';
import { compareChecksums, guestSha256 } from './guest-checksum.js';
import { GuestFile, type ReadChunk } from './guest-file.js';
import type { Sink } from './local-target.js';
import { ProgressTracker } from './progress.js';
import type { TransferOptions, TransferResult } from './transfer-types.js';

export async function getFile(session: VerbSession, guestPath: string, sink: Sink, options: TransferOptions = {}): Promise<TransferResult> {
  const chunk = checkChunk(options.chunk ?? DEFAULT_CHUNK);
  const callOptions = options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs };
  let file: GuestFile;
  try {
    throwIfAborted(options.signal);
    file = await GuestFile.open(session, guestPath, 'r', callOptions);
  } catch (err) {
    await sink.discard();
    throw err;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  let ms = 0;
  let ahead: Promise<ReadChunk> | undefined;
  try {
    const total = await file.size();
    options.onOpened?.(file.handle, total);
    const progress = new ProgressTracker(total);
    const started = performance.now();
    // Two buffers, taken in turn: the read in flight decodes into one while the other is
    // being written out.
    const buffers = [Buffer.allocUnsafe(chunk), Buffer.allocUnsafe(chunk)];
    let turn = 0;
    let current = file.read(chunk, buffers[turn]!);
    ahead = current;
    for (;;) {
      const { data, eof } = await current;
      ahead = undefined;
      if (options.signal?.aborted) throw interrupted(sink, file.handle);
      if (!eof) {
        turn ^= 1;
        current = file.read(chunk, buffers[turn]!);
        ahead = current;
      }
      hash.update(data);
      await sink.write(data);
      bytes += data.length;
      options.onProgress?.(progress.add(data.length));
      if (eof) break;
    }
    ms = performance.now() - started;
    options.onProgress?.(progress.snapshot(true));
  } catch (err) {
    // A read still in flight must finish before the close queued behind it.
    await ahead?.catch(() => undefined);
    await sink.discard();
    throw withCloseNote(err, file.handle, await file.close());
  }
  const closeError = await file.close();
  const sha256 = hash.digest('hex');
  try {
    if (closeError) throw closeError;
    let check: TransferResult['check'] = { result: 'off', sha256 };
    if (options.verify !== false) {
      options.onVerifying?.();
      check = compareChecksums(sha256, await guestSha256(session, guestPath, options.callTimeoutMs));
    }
    throwIfAborted(options.signal);
    const saved = check.result !== 'mismatch';
    if (saved) await sink.commit();
    else await sink.discard();
    return { direction: 'get', guestPath, local: sink.description, bytes, ms, handle: file.handle, check, saved };
  } catch (err) {
    await sink.discard();
    throw err;
  }
}

function interrupted(sink: Sink, handle: number): CancelledError {
  return new CancelledError(`interrupted: nothing was saved to ${sink.description}; guest file handle ${handle} is closed`);
}
