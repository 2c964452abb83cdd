// Where `get` writes on the host: a temp file in the destination's own directory, renamed
// over the destination only when everything (transfer and checksum) succeeded, so a failed
// or interrupted transfer never leaves a partial file under the real name. Or a stream
// (stdout for `get PATH -`).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import path from 'node:path';

export interface Sink {
  /** Where the data lands, for messages. */
  readonly description: string;
  write(data: Buffer): Promise<void>;
  /** Makes the data final (renames the temp file into place). */
  commit(): Promise<void>;
  /** Throws the data away (removes the temp file). Safe to call more than once. */
  discard(): Promise<void>;
  /** The same, synchronously, for a process that must exit right now. */
  discardNow(): void;
}

/** The temp name used next to `destination`. */
export function tempNameFor(destination: string): string {
  return path.join(path.dirname(destination), `.${path.basename(destination)}.qemu-host-${randomBytes(4).toString('hex')}.part`);
}

export class FileSink implements Sink {
  readonly destination: string;
  readonly tempPath: string;
  private handle: FileHandle | undefined;
  private finished = false;

  private constructor(destination: string, tempPath: string, handle: FileHandle) {
    this.destination = destination;
    this.tempPath = tempPath;
    this.handle = handle;
  }

  static async create(destination: string): Promise<FileSink> {
    const tempPath = tempNameFor(destination);
    const handle = await open(tempPath, 'wx', 0o666);
    return new FileSink(destination, tempPath, handle);
  }

  get description(): string {
    return this.destination;
  }

  async write(data: Buffer): Promise<void> {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await this.handle!.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  }

  async commit(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await rename(this.tempPath, this.destination);
    this.finished = true;
  }

  async discard(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await unlink(this.tempPath).catch(() => undefined);
  }

  discardNow(): void {
    if (this.finished) return;
    this.finished = true;
    try {
      unlinkSync(this.tempPath);
    } catch {
      // Already gone.
    }
  }
}

export class StreamSink implements Sink {
  readonly description: string;
  private readonly stream: NodeJS.WritableStream;

  constructor(stream: NodeJS.WritableStream, description = 'stdout') {
    this.stream = stream;
    this.description = description;
  }

  async write(data: Buffer): Promise<void> {
    if (!this.stream.write(data)) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {}
  async discard(): Promise<void> {}
  discardNow(): void {}
}
