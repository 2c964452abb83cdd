// `put`: copy a host file (or stdin) into the guest, in chunks: the next chunk is read from
// the host while the previous one is being written in the guest, and memory stays bounded
// by the chunk size. The guest handle is closed whatever happens. The agent cannot rename,
// so a failed put leaves the guest file incomplete; the error says how much was written.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { CancelledError } from '../../protocol/errors.js';
import { throwIfAborted, type VerbSession } from '../verb-session.js';
import { DEFAULT_CHUNK, checkChunk } from './chunk-size.js';
import { withCloseNote } from './close-note.js';
import { compareChecksums, guestSha256 } from './guest-checksum.js';
import { GuestFile } from './guest-file.js';
import { ProgressTracker } from './progress.js';
import type { TransferOptions, TransferResult } from './transfer-types.js';

/** Where put reads from: a sequence of chunks and, when known, the total size. */
export interface Source {
  readonly description: string;
  readonly size: number | undefined;
  chunks(chunk: number): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

export async function fileSource(path: string): Promise<Source> {
  const handle = await open(path, 'r');
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw Object.assign(new Error(`${path} is not a regular file`), { code: 'EISDIR' });
  }
  return {
    description: path,
    size: stat.size,
    // Two buffers, taken in turn: a chunk stays intact while the next one is read. (Its
    // base64 text is made as soon as its write starts, so two are enough.)
    async *chunks(chunk: number) {
      const first = Buffer.allocUnsafe(chunk);
      const second = Buffer.allocUnsafe(chunk);
      for (let turn = 0; ; turn ^= 1) {
        const buffer = turn === 0 ? first : second;
        let filled = 0;
        while (filled < chunk) {
          const { bytesRead } = await handle.read(buffer, filled, chunk - filled, null);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        if (filled === 0) return;
        yield filled === chunk ? buffer : buffer.subarray(0, filled);
        if (filled < chunk) return;
      }
    },
    close: () => handle.close(),
  };
}

/** A stream (stdin) cut into chunk-sized pieces. */
export function streamSource(stream: NodeJS.ReadableStream, description = 'stdin'): Source {
  return {
    description,
    size: undefined,
    async *chunks(chunk: number) {
      let parts: Buffer[] = [];
      let length = 0;
      for await (const piece of stream) {
        let data = typeof piece === 'string' ? Buffer.from(piece) : piece;
        while (length + data.length >= chunk) {
          const take = chunk - length;
          parts.push(data.subarray(0, take));
          yield Buffer.concat(parts, chunk);
          data = data.subarray(take);
          parts = [];
          length = 0;
        }
        if (data.length > 0) {
          parts.push(data);
          length += data.length;
        }
      }
      if (length > 0) yield Buffer.concat(parts, length);
    },
    close: async () => undefined,
  };
}

export async function putFile(session: VerbSession, source: Source, guestPath: string, options: TransferOptions = {}): Promise<TransferResult> {
  const chunk = checkChunk(options.chunk ?? DEFAULT_CHUNK);
  const callOptions = options.callTimeoutMs === undefined ? {} : { timeoutMs: options.callTimeoutMs };
  const hash = createHash('sha256');
  let bytes = 0;
  let ms = 0;
  let file: GuestFile;
  try {
    throwIfAborted(options.signal);
    file = await GuestFile.open(session, guestPath, 'w', callOptions);
  } catch (err) {
    await source.close();
    throw err;
  }
  let writing: Promise<void> | undefined;
  try {
    options.onOpened?.(file.handle, source.size);
    const progress = new ProgressTracker(source.size);
    const started = performance.now();
    for await (const data of source.chunks(chunk)) {
      // The next chunk was read from the host while this write's predecessor ran.
      if (writing) {
        await writing;
        writing = undefined;
      }
      if (options.signal?.aborted) throw new CancelledError('interrupted');
      const size = data.length;
      writing = file.write(data).then(() => {
        bytes += size;
        options.onProgress?.(progress.add(size));
      });
      writing.catch(() => undefined);
      // Hashed while the agent writes it (the request is on its way): the buffer is not
      // reused before the next chunk has been read.
      hash.update(data);
    }
    if (writing) await writing;
    writing = undefined;
    ms = performance.now() - started;
    options.onProgress?.(progress.snapshot(true));
  } catch (err) {
    await writing?.catch(() => undefined);
    await source.close();
    const closeError = await file.close();
    const failed = withCloseNote(err, file.handle, closeError);
    failed.message += `; ${guestPath} in the guest is incomplete (${bytes} bytes written${source.size === undefined ? '' : ` of ${source.size}`})`;
    throw failed;
  }
  await source.close();
  const closeError = await file.close();
  if (closeError) throw closeError;
  const sha256 = hash.digest('hex');
  let check: TransferResult['check'] = { result: 'off', sha256 };
  if (options.verify !== false) {
    options.onVerifying?.();
    check = compareChecksums(sha256, await guestSha256(session, guestPath, options.callTimeoutMs));
  }
  return { direction: 'put', guestPath, local: source.description, bytes, ms, handle: file.handle, check, saved: true };
}
