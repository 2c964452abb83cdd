// The file a transcript is written to. Decisions, each for a reason:
// - Private: created with mode 0600, and an existing file readable by others is made 0600
//   before anything is written, since replies carry guest data (files, command output).
// - Appended, never truncated: recording into the same file again adds a run (each starts
//   with its own header line), so an earlier recording is never destroyed by accident. A
//   file that exists but is not a transcript is refused, so a typo cannot append JSON to
//   some other file.
// - One write(2) per line, straight to the kernel, no buffer of our own: when qemu-host
//   dies (kill -9, a crash, the terminal closing) every finished line is already in the
//   file, and at most the line being written is cut short. Readers skip a cut last line.
//   A write that fails half-way (a full disk) is cut back out, and recording stops with
//   one message. The file is fsync'ed when it is closed; a power loss can still lose what
//   the kernel had not yet written out.
// - Symbolic links are not followed (O_NOFOLLOW): a link planted in a shared directory
//   cannot redirect guest data elsewhere.
import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { UsageError } from '../../protocol/errors.js';
import { parseJson, isJsonObject, stringifyJson } from '../../protocol/json.js';
import { TRANSCRIPT_FORMAT, type TranscriptLine } from './format.js';

const FIRST_LINE_LIMIT = 64 * 1024;

export class TranscriptFile {
  readonly path: string;
  /** Things the user should be told once (e.g. the file was made private). */
  readonly notes: string[] = [];
  private fd: number | undefined;
  private readonly created: boolean;
  private written = 0;
  /** Where the next line starts: a line that fails half-way is cut back to here. */
  private size: number;
  private failure: Error | undefined;
  private readonly onError: (error: Error) => void;

  private constructor(path: string, fd: number, created: boolean, onError: (error: Error) => void) {
    this.path = path;
    this.fd = fd;
    this.created = created;
    this.onError = onError;
    this.size = fstatSync(fd).size;
  }

  /** Opens (or creates) `path` for appending. Throws UsageError when it cannot or must not. */
  static open(path: string, options: { onError?: (error: Error) => void } = {}): TranscriptFile {
    const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW;
    let fd: number;
    let created = true;
    try {
      fd = openSync(path, flags | constants.O_CREAT | constants.O_EXCL, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotOpen(path, err);
      created = false;
      try {
        fd = openSync(path, flags);
      } catch (again) {
        throw cannotOpen(path, again);
      }
    }
    const file = new TranscriptFile(path, fd, created, options.onError ?? (() => undefined));
    try {
      if (!created) file.checkExisting();
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    return file;
  }

  private checkExisting(): void {
    const stat = fstatSync(this.fd!);
    if (!stat.isFile()) throw new UsageError(`--record ${this.path}: not a regular file`, { hint: 'Give the path of a file to write the transcript to.' });
    if (stat.size > 0) {
      const first = readFirstLine(this.path);
      if (!isTranscriptHeader(first)) {
        throw new UsageError(`--record ${this.path}: the file exists and is not a qemu-host transcript; nothing was written to it`, {
          hint: 'Give a new file name, or a transcript recorded earlier (new runs are appended to it).',
        });
      }
    }
    if ((stat.mode & 0o077) !== 0) {
      fchmodSync(this.fd!, 0o600);
      this.notes.push(`made ${this.path} private (mode 0600; it was ${(stat.mode & 0o777).toString(8).padStart(4, '0')})`);
    }
  }

  /** Whether lines are still being written (false after a write error or close). */
  get open(): boolean {
    return this.fd !== undefined && this.failure === undefined;
  }

  /** Writes one line with one write(2). A failure stops the recording and is reported once. */
  write(line: TranscriptLine): void {
    if (!this.open) return;
    // Measured: encoding to a Buffer first is faster and lighter than handing write(2) the
    // string (16 lines of 5.6 MB: 301 ms / 151 MB peak against 409 ms / 172 MB).
    const bytes = Buffer.from(`${stringifyJson(line)}\n`, 'utf8');
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(this.fd!, bytes, at, bytes.length - at);
      this.written += bytes.length;
      this.size += bytes.length;
    } catch (err) {
      // A disk that filled up half-way through the line: take the half line back out.
      try {
        ftruncateSync(this.fd!, this.size);
      } catch {
        // Readers skip a cut last line anyway.
      }
      this.failure = new Error(`recording to ${this.path} stopped: ${(err as Error).message}`, { cause: err });
      this.onError(this.failure);
    }
  }

  /** Flushes to disk and closes. A file this run created and never wrote to is removed. */
  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      if (this.written > 0) fsyncSync(fd);
    } catch {
      // Closing still matters more than the fsync.
    }
    closeSync(fd);
    if (this.created && this.written === 0) {
      try {
        unlinkSync(this.path);
      } catch {
        // Already gone: nothing to tidy.
      }
    }
  }
}

function cannotOpen(path: string, err: unknown): UsageError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ELOOP' ? 'it is a symbolic link, which --record does not follow' : (err as Error).message;
  return new UsageError(`--record ${path}: cannot open it for writing: ${why}`, {
    hint: code === 'ELOOP' ? 'Give the real path of the file.' : 'Check that the directory exists and that you may write there.',
    cause: err,
  });
}

/** The first line of a file (at most 64 KiB of it). */
export function readFirstLine(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const buffer = Buffer.alloc(FIRST_LINE_LIMIT);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    return nl === -1 ? text : text.slice(0, nl);
  } finally {
    closeSync(fd);
  }
}

export function isTranscriptHeader(text: string): boolean {
  try {
    const value = parseJson(text);
    return isJsonObject(value) && value.type === 'header' && value.format === TRANSCRIPT_FORMAT;
  } catch {
    return false;
  }
}
